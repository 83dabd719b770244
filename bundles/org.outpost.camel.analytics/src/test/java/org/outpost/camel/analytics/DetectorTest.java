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

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class DetectorTest {

    /** Every reading is scored against a two-pass reference over the window before it; alerts are exactly those. */
    @Test
    void zScoresEqualTheReferenceOverThePreviousWindow() {
        ZScoreDetector d = new ZScoreDetector();
        d.setWindowSize(20);
        d.setThreshold(2.5);
        d.setMinCount(10);
        Random random = new Random(5);
        List<Double> seen = new ArrayList<>();
        int expectedAlerts = 0;
        for (int i = 0; i < 2000; i++) {
            double v = 50 + random.nextGaussian() * 2 + (i % 97 == 0 ? 25 : 0);
            ObjectNode alert = d.score("m1", v, 1_000_000L + i);
            if (seen.size() >= 10) {
                List<Double> window = seen.subList(Math.max(0, seen.size() - 20), seen.size());
                double mean = Reference.mean(window);
                double sd = Reference.stddev(window);
                double z = (v - mean) / sd;
                if (Math.abs(z) >= 2.5) {
                    expectedAlerts++;
                    assertThat(alert).as("reading %d (z %f)", i, z).isNotNull();
                    assertThat(alert.path("score").asDouble()).isCloseTo(z, within(1e-9));
                    assertThat(alert.path("mean").asDouble()).isCloseTo(mean, within(1e-9));
                    assertThat(alert.path("stddev").asDouble()).isCloseTo(sd, within(1e-9));
                    assertThat(alert.path("value").asDouble()).isEqualTo(v);
                    assertThat(alert.path("key").asText()).isEqualTo("m1");
                    assertThat(alert.path("detector").asText()).isEqualTo("zscore");
                } else if (Math.abs(Math.abs(z) - 2.5) > 1e-9) {
                    assertThat(alert).as("reading %d (z %f)", i, z).isNull();
                }
            } else {
                assertThat(alert).isNull();
            }
            seen.add(v);
        }
        assertThat(expectedAlerts).isGreaterThan(20);
        assertThat(d.alertCount()).isEqualTo(expectedAlerts);
    }

    /**
     * In a route, a reading is learnt when its exchange completes: an alert that could not be stored (the exchange
     * failed) is scored again against the same baseline when the reading comes again.
     */
    @Test
    void aReadingWhoseExchangeFailedIsNotLearnt() throws Exception {
        ZScoreDetector d = new ZScoreDetector();
        d.setMinCount(10);
        java.util.concurrent.atomic.AtomicBoolean storeFails = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").process(d).process(e -> {
                        if (storeFails.get()) {
                            throw new IllegalStateException("store full");
                        }
                        stored.add(e.getMessage().getBody(String.class));
                    });
                }
            });
            camel.start();
            var template = camel.createProducerTemplate();
            for (int i = 0; i < 20; i++) {
                template.sendBodyAndHeaders("direct:in", "", java.util.Map.of(AnalyticsHeaders.KEY, "m1",
                        AnalyticsHeaders.VALUE, 10.0 + (i % 2)));
            }
            storeFails.set(true);
            var failed = template.send("direct:in", e -> e.getMessage().setHeaders(new java.util.HashMap<>(
                    java.util.Map.of(AnalyticsHeaders.KEY, "m1", AnalyticsHeaders.VALUE, 100.0))));
            assertThat(failed.getException()).hasMessage("store full");
            storeFails.set(false);
            template.sendBodyAndHeaders("direct:in", "", java.util.Map.of(AnalyticsHeaders.KEY, "m1",
                    AnalyticsHeaders.VALUE, 100.0));
        }
        assertThat(stored).hasSize(1);
        var alert = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored.get(0));
        assertThat(alert.path("mean").asDouble()).isEqualTo(10.5);
        assertThat(alert.path("stddev").asDouble()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theStateOfAtMostMaxKeysKeysIsKept() {
        ZScoreDetector d = new ZScoreDetector();
        d.setMaxKeys(2);
        for (int i = 0; i < 10; i++) {
            d.score("k" + i, i, i);
        }
        assertThat(d.keyCount()).isEqualTo(2);
        assertThatThrownBy(() -> d.setMaxKeys(0)).hasMessage("ZScoreDetector maxKeys=0: must be 1 or more");
    }

    @Test
    void keysAreScoredApart() {
        ZScoreDetector d = new ZScoreDetector();
        d.setMinCount(5);
        for (int i = 0; i < 20; i++) {
            assertThat(d.score("cold", 10 + (i % 2), i)).isNull();
            assertThat(d.score("hot", 100 + (i % 2), i)).isNull();
        }
        assertThat(d.score("cold", 100, 21)).isNotNull();
        assertThat(d.score("hot", 100.5, 21)).isNull();
    }

    @Test
    void aChangeFromAConstantBaselineIsAnAnomalyWithoutAScore() {
        ZScoreDetector d = new ZScoreDetector();
        d.setMinCount(3);
        for (int i = 0; i < 5; i++) {
            assertThat(d.score("k", 7, i)).isNull();
        }
        ObjectNode alert = d.score("k", 8, 5);
        assertThat(alert).isNotNull();
        assertThat(alert.get("score").isNull()).isTrue();
        assertThat(alert.path("stddev").asDouble()).isZero();
        assertThat(alert.path("time").asText()).isEqualTo("1970-01-01T00:00:00.005Z");
    }

    /**
     * The EWMA baseline equals the explicitly weighted mean and variance of the readings before it: weight
     * alpha (1 - alpha)^(n-1-i) for reading i >= 1 and (1 - alpha)^(n-1) for the first.
     */
    @Test
    void ewmaScoresEqualTheExplicitlyWeightedReference() {
        double alpha = 0.2;
        EwmaDetector d = new EwmaDetector();
        d.setAlpha(alpha);
        d.setThreshold(3);
        d.setMinCount(10);
        Random random = new Random(9);
        List<Double> seen = new ArrayList<>();
        int alerts = 0;
        for (int i = 0; i < 300; i++) {
            double v = 20 + random.nextGaussian() + (i % 50 == 49 ? 12 : 0);
            ObjectNode alert = d.score("m", v, i);
            if (seen.size() >= 10) {
                int n = seen.size();
                double mean = 0;
                double[] w = new double[n];
                for (int j = 0; j < n; j++) {
                    w[j] = j == 0 ? Math.pow(1 - alpha, n - 1) : alpha * Math.pow(1 - alpha, n - 1 - j);
                    mean += w[j] * seen.get(j);
                }
                double var = 0;
                for (int j = 0; j < n; j++) {
                    var += w[j] * (seen.get(j) - mean) * (seen.get(j) - mean);
                }
                double z = (v - mean) / Math.sqrt(var);
                if (Math.abs(z) >= 3) {
                    alerts++;
                    assertThat(alert).as("reading %d", i).isNotNull();
                    assertThat(alert.path("mean").asDouble()).isCloseTo(mean, within(1e-9));
                    assertThat(alert.path("stddev").asDouble()).isCloseTo(Math.sqrt(var), within(1e-9));
                    assertThat(alert.path("score").asDouble()).isCloseTo(z, within(1e-7));
                    assertThat(alert.path("detector").asText()).isEqualTo("ewma");
                } else {
                    assertThat(alert).as("reading %d (z %f)", i, z).isNull();
                }
            }
            seen.add(v);
        }
        assertThat(alerts).isGreaterThanOrEqualTo(5);
    }

    @Test
    void wrongSettingsAreRefusedWithWhatToSet() {
        assertThatThrownBy(() -> new EwmaDetector().setAlpha(1.5)).hasMessage("EwmaDetector alpha=1.5: must be in (0, 1]");
        assertThatThrownBy(() -> new ZScoreDetector().setWindowSize(1)).hasMessageContaining("must be 2 or more");
        assertThatThrownBy(() -> new ZScoreDetector().setThreshold(0)).hasMessageContaining("must be above 0");
    }
}
