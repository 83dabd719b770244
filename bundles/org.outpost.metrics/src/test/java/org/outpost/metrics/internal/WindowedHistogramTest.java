/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowedHistogramTest {

    @Test
    void bucketsCoverEveryValueAndTheirUpperBoundsAreWithinSixPercent() {
        for (long micros = 1; micros < 100_000_000L; micros = micros * 11 / 10 + 1) {
            int i = WindowedHistogram.index(micros);
            long upper = WindowedHistogram.upperBoundMicros(i);
            assertThat(upper).as("bucket %d holds %d µs", i, micros).isGreaterThanOrEqualTo(micros);
            assertThat((double) upper).isCloseTo(micros, within(micros * 0.0625 + 1));
            if (i > 0) {
                assertThat(WindowedHistogram.upperBoundMicros(i - 1)).isLessThan(micros);
            }
        }
    }

    @Test
    void quantilesOfAKnownDistribution() {
        WindowedHistogram h = new WindowedHistogram(600_000_000_000L, 0);
        // 1,000 observations: 1 ms to 1,000 ms, one of each.
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms * 1_000_000L);
        }
        WindowedHistogram.Snapshot s = h.snapshot(1);
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.sumNanos()).isEqualTo(500_500L * 1_000_000L);
        assertThat(s.quantileNanos(0.5) / 1e6).isCloseTo(500, within(500 * 0.0625));
        assertThat(s.quantileNanos(0.99) / 1e6).isCloseTo(990, within(990 * 0.0625));
        assertThat(s.quantileNanos(0.999) / 1e6).isCloseTo(999, within(999 * 0.0625));
    }

    @Test
    void anEmptyHistogramHasNoQuantiles() {
        assertThat(new WindowedHistogram(1_000_000_000L, 0).snapshot(0).quantileNanos(0.99)).isNaN();
    }
}
