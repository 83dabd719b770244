/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.time.YearMonth;
import java.util.regex.Pattern;

/**
 * Which JSON strings Newtonsoft.Json (edgeHub's JSON reader, with its default DateParseHandling.DateTime) reads as
 * dates: ISO 8601 date-times such as {@code 2017-03-09T00:00:00.000Z} and {@code /Date(1489017600000)/}. edgeHub's
 * {@code $body} queries give undefined for them.
 */
final class NewtonsoftDates {

    private static final Pattern MICROSOFT = Pattern.compile("/Date\\(-?[0-9]+([+-][0-9]{2}([0-9]{2})?)?\\)/");

    private NewtonsoftDates() {
    }

    static boolean isDate(String s) {
        if (s.startsWith("/")) {
            return s.length() >= 9 && MICROSOFT.matcher(s).matches() && fitsLong(s);
        }
        return s.length() >= 19 && s.length() <= 40 && Character.isDigit(s.charAt(0)) && s.charAt(10) == 'T'
                && iso(s);
    }

    private static boolean fitsLong(String s) {
        int open = s.indexOf('(');
        int end = open + 1;
        while (end < s.length() && (Character.isDigit(s.charAt(end)) || end == open + 1 && s.charAt(end) == '-')) {
            end++;
        }
        try {
            Long.parseLong(s.substring(open + 1, end));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int digits(String s, int at, int count) {
        if (at + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + c - '0';
        }
        return v;
    }

    /** Newtonsoft's DateTimeParser: yyyy-MM-ddTHH:mm:ss[.fffffff][Z|+HH[:]mm|-HH[:]mm], all of it. */
    private static boolean iso(String s) {
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        if (year < 1 || s.charAt(4) != '-' || month < 1 || month > 12 || s.charAt(7) != '-' || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (hour < 0 || hour > 24 || s.length() < 17 || s.charAt(13) != ':' || minute < 0 || minute >= 60
                || s.charAt(16) != ':' || second < 0 || second >= 60 || hour == 24 && (minute != 0 || second != 0)) {
            return false;
        }
        int i = 19;
        int end = s.length();
        if (i < end && s.charAt(i) == '.') {
            int count = 0;
            long fraction = 0;
            while (++i < end && count < 7) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                fraction = fraction * 10 + c - '0';
                count++;
            }
            if (count == 0 || hour == 24 && fraction != 0) {
                return false;
            }
        }
        return zone(s, i);
    }

    private static boolean zone(String s, int start) {
        int end = s.length();
        if (start < end) {
            char c = s.charAt(start);
            if (c == 'z' || c == 'Z') {
                start++;
            } else {
                if (start + 2 < end && digits(s, start + 1, 2) >= 0 && (c == '-' || c == '+')) {
                    start += 3;
                }
                if (start < end) {
                    if (s.charAt(start) == ':') {
                        start++;
                        if (start + 1 < end && digits(s, start, 2) >= 0) {
                            start += 2;
                        }
                    } else if (start + 1 < end && digits(s, start, 2) >= 0) {
                        start += 2;
                    }
                }
            }
        }
        return start == end;
    }
}
