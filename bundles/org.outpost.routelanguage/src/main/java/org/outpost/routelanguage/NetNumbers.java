/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.Locale;

/** Numbers as edgeHub's .NET runtime treats them: comparison, and parsing with NumberStyles.Any. */
final class NetNumbers {

    private NetNumbers() {
    }

    /** .NET's double.CompareTo: like the operators, except that NaN equals NaN and is below every number. */
    static int compare(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        if (a == b) {
            return 0;
        }
        if (Double.isNaN(a)) {
            return Double.isNaN(b) ? 0 : -1;
        }
        return 1;
    }

    /** .NET's Math.Pow where it differs from Java's: 1 to any power, and -1 to an infinite one, are 1. */
    static double pow(double x, double y) {
        if (x == 1 || x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    private static boolean white(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    /**
     * .NET's double.TryParse(s, NumberStyles.Any, CultureInfo.InvariantCulture): white space around, a sign before or
     * after, parentheses for negative, thousands separators, a decimal point, an exponent, the currency sign, and the
     * words NaN and Infinity.
     *
     * @return the number (NaN for "NaN"), or null when .NET cannot parse it
     */
    static Double parse(String s) {
        int i = 0;
        int end = s.length();
        while (i < end && white(s.charAt(i))) {
            i++;
        }
        while (end > i && white(s.charAt(end - 1))) {
            end--;
        }
        String word = s.substring(i, end).toLowerCase(Locale.ROOT);
        switch (word) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "infinity", "+infinity", "\u221e", "+\u221e" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-infinity", "-\u221e" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        boolean negative = false;
        boolean sign = false;
        boolean parens = false;
        boolean currency = false;
        while (i < end) {
            char c = s.charAt(i);
            if (!sign && (c == '+' || c == '-')) {
                sign = true;
                negative = c == '-';
            } else if (!sign && c == '(') {
                sign = true;
                parens = true;
                negative = true;
            } else if (!currency && c == '\u00a4') {
                currency = true;
            } else {
                break;
            }
            i++;
        }
        StringBuilder digits = new StringBuilder();
        boolean any = false;
        while (i < end && (isDigit(s.charAt(i)) || s.charAt(i) == ',' && any)) {
            if (s.charAt(i) != ',') {
                digits.append(s.charAt(i));
                any = true;
            }
            i++;
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            digits.append('.');
            while (i < end && isDigit(s.charAt(i))) {
                digits.append(s.charAt(i++));
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            StringBuilder exponent = new StringBuilder("e");
            if (j < end && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                exponent.append(s.charAt(j++));
            }
            int first = j;
            while (j < end && isDigit(s.charAt(j))) {
                exponent.append(s.charAt(j++));
            }
            if (j > first) {
                digits.append(exponent.length() > 12 ? clampExponent(exponent.toString()) : exponent);
                i = j;
            }
        }
        while (i < end) {
            char c = s.charAt(i);
            if (!sign && (c == '+' || c == '-')) {
                sign = true;
                negative = c == '-';
            } else if (parens && c == ')') {
                parens = false;
            } else if (!currency && c == '\u00a4') {
                currency = true;
            } else {
                return null;
            }
            i++;
        }
        if (parens) {
            return null;
        }
        double v = Double.parseDouble(digits.toString().startsWith(".") ? "0" + digits : digits.toString());
        return negative ? -v : v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** An exponent too long for Java's parser means zero or infinity either way. */
    private static String clampExponent(String exponent) {
        boolean minus = exponent.startsWith("e-");
        String digits = exponent.replaceFirst("^e[+-]?0*", "");
        return digits.length() > 9 ? (minus ? "e-999999999" : "e999999999") : "e" + (minus ? "-" : "") + digits;
    }
}
