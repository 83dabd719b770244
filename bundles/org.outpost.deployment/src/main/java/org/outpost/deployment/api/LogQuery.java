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
 * @param regex only entries that contain a match, or {@code null}
 */
public record LogQuery(int tail, Instant since, Instant until, String level, Pattern regex) {

    /** Levels from the least to the most severe. */
    public static final java.util.List<String> LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error");

    public LogQuery {
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
        return regex == null || regex.matcher(text).find();
    }
}
