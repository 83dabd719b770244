/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RollingStatsTest {

    @Test
    void theWindowHoldsTheLastValuesOnly() {
        RollingStats r = new RollingStats(3);
        r.add(1);
        r.add(2);
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.isFull()).isFalse();
        assertThat(r.mean()).isEqualTo(1.5);
        r.add(3);
        r.add(10);
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.mean()).isEqualTo(5.0);
        assertThat(r.variance()).isCloseTo(((2 - 5.0) * (2 - 5.0) + 4 + 25) / 3, within(1e-12));
    }

    /** A long run over large values: after 200,000 additions and removals it still equals the exact reference. */
    @Test
    void aLongRunMatchesTheExactReferenceOverTheLastValues() {
        Random random = new Random(11);
        int size = 50;
        RollingStats r = new RollingStats(size);
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            double v = 1e8 + Math.sin(i / 100.0) * 5 + random.nextGaussian() * 0.01;
            all.add(v);
            r.add(v);
            if (i % 9_973 == 0 || i == 199_999) {
                List<Double> last = all.subList(Math.max(0, all.size() - size), all.size());
                assertThat(r.mean()).isCloseTo(Reference.mean(last), within(1e-6));
                double exact = Reference.variance(last);
                assertThat(r.variance()).as("variance after %d values", i + 1).isCloseTo(exact,
                        within(Math.max(exact * 1e-5, 1e-9)));
            }
        }
    }

    @Test
    void aWindowOfOneIsRefused() {
        assertThatThrownBy(() -> new RollingStats(1)).hasMessageContaining("at least 2");
    }
}
