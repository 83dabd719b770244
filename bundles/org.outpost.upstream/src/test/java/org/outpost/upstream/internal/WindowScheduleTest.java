/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class WindowScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** 2026-12-05 is a Saturday. */
    private static ZonedDateTime at(String dayAndTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(dayAndTime), PARIS);
    }

    @Test
    void aNightWindowRunsPastMidnightInTheGatewaysTimeZone() {
        WindowSchedule w = WindowSchedule.parse("22:00-06:00", PARIS);

        assertThat(w.isOpen(at("2026-12-05T23:30"))).isTrue();
        assertThat(w.isOpen(at("2026-12-06T05:59"))).isTrue();
        assertThat(w.isOpen(at("2026-12-06T06:00"))).isFalse();
        assertThat(w.isOpen(at("2026-12-05T12:00"))).isFalse();
        // The same instant written in UTC: 21:30 UTC is 22:30 in Paris.
        assertThat(w.isOpen(ZonedDateTime.parse("2026-12-05T21:30:00Z"))).isTrue();
        assertThat(w.nextOpening(at("2026-12-05T12:00"))).contains(at("2026-12-05T22:00"));
        assertThat(w.nextOpening(at("2026-12-05T23:00"))).contains(at("2026-12-05T23:00"));
    }

    @Test
    void severalWindowsWithDaysOfTheWeek() {
        WindowSchedule w = WindowSchedule.parse("Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00; Wed 12:00-12:30", PARIS);

        assertThat(w.isOpen(at("2026-12-05T12:00"))).isTrue(); // Saturday, all day
        assertThat(w.isOpen(at("2026-12-07T12:00"))).isFalse(); // Monday noon
        assertThat(w.isOpen(at("2026-12-08T03:00"))).isTrue(); // Tuesday night, Monday's window
        assertThat(w.isOpen(at("2026-12-09T12:15"))).isTrue(); // Wednesday's half hour
        assertThat(w.isOpen(at("2026-12-12T05:00"))).isTrue(); // Saturday morning: Friday's and Saturday's
        assertThat(w.nextOpening(at("2026-12-07T12:00"))).contains(at("2026-12-07T22:00"));
        assertThat(w.nextOpening(at("2026-12-09T07:00"))).contains(at("2026-12-09T12:00"));
    }

    @Test
    void anEmptyScheduleIsAlwaysOpen() {
        WindowSchedule w = WindowSchedule.parse("  ", PARIS);
        assertThat(w.isAlwaysOpen()).isTrue();
        assertThat(w.isOpen(at("2026-12-05T12:00"))).isTrue();
    }

    @Test
    void aBadScheduleIsRefusedNamingThePart() {
        assertThatThrownBy(() -> WindowSchedule.parse("22:00-06:00, nightly", PARIS))
                .hasMessage("'nightly' is not a window");
        assertThatThrownBy(() -> WindowSchedule.parse("25:00-06:00", PARIS)).hasMessageContaining("'25:00-06:00' has"
                + " a time that is not HH:MM");
        assertThatThrownBy(() -> WindowSchedule.parse("Mon-Fry 22:00-06:00", PARIS))
                .hasMessageContaining("'Fry' is not a day");
        assertThatThrownBy(() -> WindowSchedule.parse("10:00-10:00", PARIS)).hasMessageContaining("starts when it"
                + " ends");
    }
}
