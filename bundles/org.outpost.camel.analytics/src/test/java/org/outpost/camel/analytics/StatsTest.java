/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void aSmallKnownSeriesHasTheTextbookValues() {
        Stats s = new Stats();
        double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
        for (int i = 0; i < values.length; i++) {
            s.add(values[i], 1000 + i);
        }
        assertThat(s.count()).isEqualTo(8);
        assertThat(s.mean()).isEqualTo(5.0);
        assertThat(s.variance()).isEqualTo(4.0);
        assertThat(s.stddev()).isEqualTo(2.0);
        assertThat(s.sampleVariance()).isCloseTo(32.0 / 7, within(1e-15));
        assertThat(s.min()).isEqualTo(2.0);
        assertThat(s.max()).isEqualTo(9.0);
        assertThat(s.firstTime()).isEqualTo(1000);
        assertThat(s.lastTime()).isEqualTo(1007);
    }

    @Test
    void anEmptyOrSingleValueStatsSaysSo() {
        Stats s = new Stats();
        assertThat(s.mean()).isNaN();
        assertThat(s.variance()).isNaN();
        s.add(-3.5, 7);
        assertThat(s.mean()).isEqualTo(-3.5);
        assertThat(s.variance()).isZero();
        assertThat(s.sampleVariance()).isNaN();
        assertThat(s.min()).isEqualTo(-3.5);
        assertThat(s.max()).isEqualTo(-3.5);
    }

    @Test
    void randomSeriesMatchTheExactReference() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<Double> values = new ArrayList<>();
            Stats s = new Stats();
            int n = 1 + random.nextInt(5000);
            for (int i = 0; i < n; i++) {
                double v = random.nextGaussian() * 10 + 20;
                values.add(v);
                s.add(v, i);
            }
            assertThat(s.count()).isEqualTo(n);
            assertThat(s.mean()).isCloseTo(Reference.mean(values), within(1e-12));
            assertThat(s.variance()).isCloseTo(Reference.variance(values), within(1e-10));
            assertThat(s.min()).isEqualTo(Reference.min(values));
            assertThat(s.max()).isEqualTo(Reference.max(values));
        }
    }

    /**
     * Large values with a small spread: the textbook sum-of-squares formula loses every digit of the variance here
     * (1e18-sized squares, 1e-7-sized variance); Welford keeps it.
     */
    @Test
    void largeValuesWithASmallSpreadKeepTheirVariance() {
        Random random = new Random(7);
        List<Double> values = new ArrayList<>();
        Stats s = new Stats();
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < 100_000; i++) {
            double v = 1e9 + random.nextDouble() * 0.001;
            values.add(v);
            s.add(v, i);
            sum += v;
            sumSquares += v * v;
        }
        double exact = Reference.variance(values);
        double naive = sumSquares / values.size() - (sum / values.size()) * (sum / values.size());
        assertThat(exact).isCloseTo(0.001 * 0.001 / 12, within(1e-8));
        // The values themselves carry only about 13 bits below the 1e9 (their ulp is 1.2e-7): 1e-3 relative is what
        // that leaves; the naive formula is off by more than a hundred times the variance itself.
        assertThat(s.variance()).isCloseTo(exact, within(exact * 1e-3));
        assertThat(Math.abs(naive - exact)).isGreaterThan(exact * 100);
    }

    @Test
    void mergingPartsEqualsAddingEverything() {
        Random random = new Random(3);
        List<Double> values = new ArrayList<>();
        Stats whole = new Stats();
        Stats merged = new Stats();
        for (int part = 0; part < 30; part++) {
            Stats p = new Stats();
            int n = random.nextInt(200);
            for (int i = 0; i < n; i++) {
                double v = 1e6 + random.nextGaussian() * (part + 1);
                values.add(v);
                whole.add(v, part * 1000L + i);
                p.add(v, part * 1000L + i);
            }
            merged.merge(p);
        }
        assertThat(merged.count()).isEqualTo(whole.count()).isEqualTo(values.size());
        assertThat(merged.mean()).isCloseTo(Reference.mean(values), within(1e-8));
        assertThat(merged.variance()).isCloseTo(Reference.variance(values), within(Reference.variance(values) * 1e-9));
        assertThat(merged.min()).isEqualTo(whole.min());
        assertThat(merged.max()).isEqualTo(whole.max());
        assertThat(merged.firstTime()).isEqualTo(whole.firstTime());
        assertThat(merged.lastTime()).isEqualTo(whole.lastTime());
    }
}
