/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsCoverEveryValueAndTheirUpperBoundsAreWithinSixPercent() {
        for (long micros = 1; micros < 100_000_000L; micros = micros * 11 / 10 + 1) {
            int i = LatencyHistogram.index(micros);
            long upper = LatencyHistogram.upperBoundMicros(i);
            assertThat(upper).as("bucket %d holds %d µs", i, micros).isGreaterThanOrEqualTo(micros);
            assertThat((double) upper).isCloseTo(micros, within(micros * 0.0625 + 1));
            if (i > 0) {
                assertThat(LatencyHistogram.upperBoundMicros(i - 1)).isLessThan(micros);
            }
        }
    }

    @Test
    void quantilesOfAKnownDistribution() {
        LatencyHistogram h = new LatencyHistogram();
        // 1,000 observations: 1 ms to 1,000 ms, one of each.
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms * 1_000_000L);
        }
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.sumNanos()).isEqualTo(500_500L * 1_000_000L);
        assertThat(s.quantileNanos(0.5) / 1e6).isCloseTo(500, within(500 * 0.0625));
        assertThat(s.quantileNanos(0.99) / 1e6).isCloseTo(990, within(990 * 0.0625));
        assertThat(s.quantileNanos(0.999) / 1e6).isCloseTo(999, within(999 * 0.0625));
    }

    @Test
    void anEmptyHistogramHasNoQuantiles() {
        assertThat(new LatencyHistogram().snapshot().quantileNanos(0.99)).isZero();
    }
}
