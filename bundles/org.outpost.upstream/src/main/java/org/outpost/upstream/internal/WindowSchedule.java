/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the upstream may send: a list of windows such as {@code 22:00-06:00} or {@code Mon-Fri 22:00-06:00, Sat-Sun
 * 00:00-24:00}, in a time zone. A window that ends before it starts runs past midnight into the next day (its days
 * are the days it starts on). An empty schedule is always open.
 */
final class WindowSchedule {

    /** What a valid schedule looks like, for messages. */
    static final String SYNTAX = "windows separated by commas, each [Day|Day-Day ]HH:MM-HH:MM, e.g."
            + " 22:00-06:00 or Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00 (empty: always open)";

    private static final Pattern WINDOW = Pattern.compile(
            "(?:([A-Za-z]{3})(?:-([A-Za-z]{3}))?\\s+)?(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    /** One window: the days it starts on, its start and its length in minutes. */
    private record Window(Set<DayOfWeek> days, int startMinute, int minutes) {
    }

    static final WindowSchedule ALWAYS = new WindowSchedule("", List.of(), ZoneId.systemDefault());

    private final String text;
    private final List<Window> windows;
    private final ZoneId zone;

    private WindowSchedule(String text, List<Window> windows, ZoneId zone) {
        this.text = text;
        this.windows = windows;
        this.zone = zone;
    }

    /**
     * @param text the schedule
     * @param zone the time zone it is in
     * @return it parsed
     * @throws IllegalArgumentException naming the part that is wrong
     */
    static WindowSchedule parse(String text, ZoneId zone) {
        List<Window> windows = new ArrayList<>();
        String t = text == null ? "" : text.strip();
        if (!t.isEmpty()) {
            for (String part : t.split("[,;]")) {
                windows.add(window(part.strip()));
            }
        }
        return new WindowSchedule(t, List.copyOf(windows), zone);
    }

    private static Window window(String part) {
        Matcher m = WINDOW.matcher(part);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + part + "' is not a window");
        }
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        if (m.group(1) != null) {
            DayOfWeek from = day(m.group(1));
            DayOfWeek to = m.group(2) == null ? from : day(m.group(2));
            days = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d = from;; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        int start = minute(part, m.group(3), m.group(4), false);
        int end = minute(part, m.group(5), m.group(6), true);
        if (start == end) {
            throw new IllegalArgumentException("'" + part + "' starts when it ends");
        }
        int minutes = end > start ? end - start : 24 * 60 - start + end;
        return new Window(days, start, minutes);
    }

    private static int minute(String part, String hh, String mm, boolean end) {
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
            throw new IllegalArgumentException("'" + part + "' has a time that is not HH:MM (00:00 to 23:59, or 24:00"
                    + " as an end)");
        }
        return h * 60 + m;
    }

    private static DayOfWeek day(String name) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    /** @return whether it is open at that time */
    boolean isOpen(ZonedDateTime time) {
        if (windows.isEmpty()) {
            return true;
        }
        ZonedDateTime t = time.withZoneSameInstant(zone);
        for (int back = 0; back <= 1; back++) {
            LocalDate day = t.toLocalDate().minusDays(back);
            for (Window w : windows) {
                if (w.days().contains(day.getDayOfWeek())) {
                    ZonedDateTime start = start(day, w);
                    if (!t.isBefore(start) && t.isBefore(start.plusMinutes(w.minutes()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return when it opens next after that time (now, if open), or empty if it never does */
    Optional<ZonedDateTime> nextOpening(ZonedDateTime time) {
        if (isOpen(time)) {
            return Optional.of(time);
        }
        ZonedDateTime t = time.withZoneSameInstant(zone);
        ZonedDateTime best = null;
        for (int ahead = 0; ahead <= 8; ahead++) {
            LocalDate day = t.toLocalDate().plusDays(ahead);
            for (Window w : windows) {
                ZonedDateTime start = start(day, w);
                if (w.days().contains(day.getDayOfWeek()) && start.isAfter(t) && (best == null
                        || start.isBefore(best))) {
                    best = start;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private ZonedDateTime start(LocalDate day, Window w) {
        return ZonedDateTime.of(day, LocalTime.of(w.startMinute() / 60, w.startMinute() % 60), zone);
    }

    boolean isAlwaysOpen() {
        return windows.isEmpty();
    }

    ZoneId zone() {
        return zone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSchedule w && w.text.equals(text) && w.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "always" : text + " (" + zone + ")";
    }
}
