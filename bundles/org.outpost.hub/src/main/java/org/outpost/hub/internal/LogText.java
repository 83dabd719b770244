/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

/**
 * Text a device sent, made safe for one line of a log: a device cannot end its line and write one that looks like
 * another device's, nor send escape sequences to the terminal of whoever follows the log. Escaped as in a JSON
 * string: a backslash becomes {@code \\}, line breaks and tabs {@code \n}, {@code \r}, {@code \t}, and every other
 * control character (C0, DEL, C1) and the Unicode line and paragraph separators {@code \}{@code uXXXX}. Quotes stay as
 * they are, so a JSON body reads as itself; the escaping can be undone exactly.
 */
final class LogText {

    private LogText() {
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x",
                        (int) c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
