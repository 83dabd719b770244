/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.language;

/**
 * Run-time values: {@link Boolean}, {@link Double}, {@link String}, and the two markers below. Comparisons and
 * arithmetic with anything but the right type give {@link #UNDEFINED}.
 */
enum Value {
    NULL, UNDEFINED;

    static boolean isNumber(Object v) {
        return v instanceof Double;
    }

    static Tri tri(Object v) {
        if (v instanceof Boolean b) {
            return b ? Tri.TRUE : Tri.FALSE;
        }
        return Tri.UNDEFINED;
    }

    static Object of(Tri t) {
        return switch (t) {
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case UNDEFINED -> UNDEFINED;
        };
    }

    static String describe(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                    : d.toString();
        }
        return v == NULL ? "null" : v == UNDEFINED ? "undefined" : String.valueOf(v);
    }
}
