/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.api;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which of a module's log lines to return, as IoT Edge's {@code GetModuleLogs} filters them.
 *
 * @param tail at most this many of the newest matching entries (1 or more)
 * @param since only entries at or after this time, or {@code null}
 * @param until only entries before this time, or {@code null}
 * @param level only entries of this level or a more severe one ({@code trace}, {@code debug}, {@code info},
 *            {@code warn}, {@code error}), or {@code null} for all; a container line's level is read from a syslog
 *            prefix ({@code <3>}) or a level word near its start, and is {@code info} without either
 * @param regex only entries that contain a match, or {@code null}; at most {@value #MAX_REGEX_LENGTH} characters
 *            ({@link #regex(String)}), and matched within a budget of {@value #MAX_REGEX_STEPS} character reads per
 *            entry, so that a pattern that backtracks catastrophically ({@code (a+)+$}) is refused, not run for hours
 */
public record LogQuery(int tail, Instant since, Instant until, String level, Pattern regex) {

    /** Levels from the least to the most severe. */
    public static final java.util.List<String> LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error");

    /** The longest regular expression a query takes. */
    public static final int MAX_REGEX_LENGTH = 256;

    /** How many characters matching may read in one entry before the query is refused. */
    public static final long MAX_REGEX_STEPS = 10_000_000;

    public LogQuery {
        if (regex != null && regex.pattern().length() > MAX_REGEX_LENGTH) {
            throw new IllegalArgumentException(tooLong(regex.pattern()));
        }
        if (tail < 1) {
            throw new IllegalArgumentException("tail must be 1 or more, not " + tail);
        }
        if (level != null) {
            level = level.toLowerCase(Locale.ROOT);
            if (level.equals("warning")) {
                level = "warn";
            }
            if (!LEVELS.contains(level)) {
                throw new IllegalArgumentException("level '" + level + "' is not one of " + String.join(", ", LEVELS));
            }
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
        }
    }

    /**
     * Compiles a caller's regular expression for a query.
     *
     * @throws IllegalArgumentException if it is longer than {@value #MAX_REGEX_LENGTH} characters, or not a regular
     *             expression ({@link java.util.regex.PatternSyntaxException}, saying where)
     */
    public static Pattern regex(String text) {
        if (text.length() > MAX_REGEX_LENGTH) {
            throw new IllegalArgumentException(tooLong(text));
        }
        return Pattern.compile(text);
    }

    private static String tooLong(String regex) {
        return "the regex is " + regex.length() + " characters long; at most " + MAX_REGEX_LENGTH + " are taken:"
                + " use a shorter one";
    }

    private static final Pattern DURATION_PART = Pattern.compile(
            "\\s*(\\d+)\\s*(seconds|second|secs|sec|s|minutes|minute|mins|min|m|hours|hour|h|days|day|d)\\s*,?");

    /**
     * Reads a time as {@code GetModuleLogs} takes it: an RFC 3339 timestamp ({@code 2026-11-26T10:00:00Z}), a UNIX
     * timestamp in seconds, or a duration back from now ({@code 90s}, {@code 10m}, {@code 2h}, {@code 1d},
     * {@code 2 days 3 hours}).
     *
     * @param text the time
     * @param now what a duration counts back from
     * @return the instant
     * @throws IllegalArgumentException saying what it accepts, if the text is none of these
     */
    public static Instant time(String text, Instant now) {
        String t = text.strip();
        if (t.matches("\\d{9,}")) {
            return Instant.ofEpochSecond(Long.parseLong(t));
        }
        if (t.contains("T")) {
            try {
                return java.time.OffsetDateTime.parse(t).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an RFC 3339 time such as"
                        + " 2026-11-26T10:00:00Z: " + e.getMessage());
            }
        }
        java.util.regex.Matcher m = DURATION_PART.matcher(t.toLowerCase(Locale.ROOT));
        java.time.Duration d = java.time.Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2).charAt(0)) {
                case 's' -> java.time.Duration.ofSeconds(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 'h' -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use a duration back from now (90s, 10m,"
                    + " 2h, 1d, \"2 days 3 hours\"), an RFC 3339 time (2026-11-26T10:00:00Z) or UNIX seconds");
        }
        return now.minus(d);
    }

    /**
     * @param severity a syslog severity, 0 (emergency) to 7 (debug)
     * @return its level: 0-3 {@code error}, 4 {@code warn}, 5-6 {@code info}, 7 {@code debug}
     */
    public static String levelOfSyslogSeverity(int severity) {
        return severity <= 3 ? "error" : severity == 4 ? "warn" : severity <= 6 ? "info" : "debug";
    }

    /** @return the newest {@code tail} entries, unfiltered otherwise */
    public static LogQuery tail(int tail) {
        return new LogQuery(tail, null, null, null, null);
    }

    /**
     * @param time when the entry was written, or {@code null} if unknown (then time filters do not exclude it)
     * @param entryLevel its level (one of {@link #LEVELS})
     * @param text its text, all lines
     * @return whether the entry passes the filters (not the tail)
     */
    public boolean matches(Instant time, String entryLevel, String text) {
        if (time != null && (since != null && time.isBefore(since) || until != null && !time.isBefore(until))) {
            return false;
        }
        if (level != null && LEVELS.indexOf(entryLevel) < LEVELS.indexOf(level)) {
            return false;
        }
        return regex == null || regex.matcher(new Budgeted(text, regex.pattern())).find();
    }

    /** An entry's text that refuses to be read more than {@link #MAX_REGEX_STEPS} times by one match. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private final String pattern;
        private long steps;

        Budgeted(String text, String pattern) {
            this.text = text;
            this.pattern = pattern;
        }

        @Override
        public char charAt(int index) {
            if (++steps > MAX_REGEX_STEPS) {
                throw new IllegalArgumentException("the regex '" + pattern + "' takes too long on a log entry of "
                        + text.length() + " characters (more than " + MAX_REGEX_STEPS + " steps): it backtracks"
                        + " catastrophically; use one without nested repetition such as (a+)+ or (a|a)*");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
