/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ThrottledWarningTest {

    private final List<String> written = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(123);
    private final ThrottledWarning warning = new ThrottledWarning(written::add, Duration.ofMinutes(1), nanos::get);

    @Test
    void theFirstIsWrittenAtOnceAndTheRestOncePerPeriodWithHowManyMoreThereWere() {
        warning.warn("a");
        warning.warn("b");
        warning.warn("c");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        warning.warn("d");
        assertThat(written).containsExactly("a");

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        warning.warn("e");
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        warning.warn("f");

        assertThat(written).containsExactly("a", "e (and 3 more like it in the last 60 s)", "f");
    }

    @Test
    void measuresThePeriodAcrossTheMonotonicClocksWrapAround() {
        // Only the monotonic clock counts; a value near its wrap-around still measures the period.
        nanos.set(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos());
        warning.warn("a");
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        warning.warn("b");

        assertThat(written).containsExactly("a", "b");
    }
}
