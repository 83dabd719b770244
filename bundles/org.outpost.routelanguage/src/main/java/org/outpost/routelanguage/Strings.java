/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/** The string built-ins' run-time work, as .NET does it. */
final class Strings {

    private Strings() {
    }

    /** .NET's ToLowerInvariant: each character mapped on its own (no "ß" to "SS", no final sigma). */
    static String lower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.toLowerCase(c)));
        return out.toString();
    }

    /** .NET's ToUpperInvariant: each character mapped on its own. */
    static String upper(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.toUpperCase(c)));
        return out.toString();
    }

    /** substring(s, start): start from 0 to the length, fractions cut off. */
    static Object substring(String s, QValue start) {
        if (s == null || start.kind() != QValue.Kind.NUMBER) {
            return Value.UNDEFINED;
        }
        double from = (Double) start.value();
        if (Double.isNaN(from) || from > s.length() || from < 0) {
            return Value.UNDEFINED;
        }
        return s.substring((int) from);
    }

    /** substring(s, start, length): start below the length, length at most what is left, fractions cut off. */
    static Object substring(String s, QValue start, QValue length) {
        if (s == null || start.kind() != QValue.Kind.NUMBER || length.kind() != QValue.Kind.NUMBER) {
            return Value.UNDEFINED;
        }
        double from = (Double) start.value();
        double count = (Double) length.value();
        if (Double.isNaN(from) || from >= s.length() || from < 0 || Double.isNaN(count) || count < 0
                || count > s.length() - from) {
            return Value.UNDEFINED;
        }
        return s.substring((int) from, (int) from + (int) count);
    }
}
