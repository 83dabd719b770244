/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class StoredInstantTest {

    @Test
    void readsBackWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(Instant.parse("1970-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(StoredInstant.parse(t.toString())).as(t.toString()).isEqualTo(t);
        }
        Instant now = Instant.now();
        assertThat(StoredInstant.parse(now.toString())).isEqualTo(now);
    }

    @Test
    void anythingElseIsReadOrRefusedAsInstantParseDoes() {
        for (String s : new String[] {"2026-12-05T07:08:11.5Z", "2026-12-05T07:08:11.1234Z", "2016-12-31T23:59:60Z",
                "+10000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-05T24:00:00Z",
                "2026-12-05T07:08:11.Z", "2026-12-05 07:08:11Z", "2026-12-05T07:08:1xZ", "2026-12-05T07:08:11+01:00",
                "yesterday"}) {
            Object expected;
            try {
                expected = Instant.parse(s);
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            if (expected instanceof Instant) {
                assertThat(StoredInstant.parse(s)).as(s).isEqualTo(expected);
            } else {
                assertThatThrownBy(() -> StoredInstant.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
            }
        }
    }
}
