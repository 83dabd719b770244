/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The sliding window strategy driven by hand, with its own clock: each report is the reference over its panes. */
class SlidingWindowStatsTest {

    private final CamelContext context = new DefaultCamelContext();

    private Exchange reading(String key, double value, long time) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setHeader(AnalyticsHeaders.KEY, key);
        e.getMessage().setHeader(AnalyticsHeaders.VALUE, value);
        e.getMessage().setHeader(AnalyticsHeaders.TIME, time);
        return e;
    }

    /** One step of the aggregate EIP for one key: aggregates the values, completes the group at {@code now}. */
    private JsonNode step(SlidingWindowStats s, long[] clock, long now, String key, double... values)
            throws Exception {
        clock[0] = now;
        Exchange group = null;
        for (double v : values) {
            group = s.aggregate(group, reading(key, v, now - 100));
        }
        s.onCompletion(group);
        return new ObjectMapper().readTree(group.getMessage().getBody(String.class));
    }

    @Test
    void eachReportMergesThePanesOfTheLastWindow() throws Exception {
        SlidingWindowStats s = new SlidingWindowStats();
        s.setLengthSeconds(3);
        s.setStepSeconds(1);
        long[] clock = {0};
        s.setClock(() -> clock[0]);
        long t = 1_767_225_600_000L;
        List<double[]> panes = List.of(new double[] {1, 2}, new double[] {3}, new double[] {4, 5, 6},
                new double[] {10}, new double[] {-1, 0});
        for (int i = 0; i < panes.size(); i++) {
            // The timer's jitter: a completion a few milliseconds late or early.
            long now = t + i * 1000L + (i % 2 == 0 ? 7 : -5);
            JsonNode r = step(s, clock, now, "k", panes.get(i));
            List<Double> expected = new ArrayList<>();
            for (int j = Math.max(0, i - 2); j <= i; j++) {
                for (double v : panes.get(j)) {
                    expected.add(v);
                }
            }
            assertThat(r.path("count").asLong()).as("step %d", i).isEqualTo(expected.size());
            assertThat(r.path("avg").asDouble()).isCloseTo(Reference.mean(expected), within(1e-12));
            assertThat(r.path("stddev").asDouble()).isCloseTo(Reference.stddev(expected), within(1e-12));
            assertThat(r.path("min").asDouble()).isEqualTo(Reference.min(expected));
            assertThat(r.path("max").asDouble()).isEqualTo(Reference.max(expected));
            assertThat(r.path("end").asText()).isEqualTo(java.time.Instant.ofEpochMilli(now).toString());
            assertThat(r.path("start").asText()).isEqualTo(java.time.Instant.ofEpochMilli(now - 3000).toString());
        }
    }

    @Test
    void keysSlideApartAndAKeyWithNothingLeftIsForgotten() throws Exception {
        SlidingWindowStats s = new SlidingWindowStats();
        s.setLengthSeconds(2);
        s.setStepSeconds(1);
        long[] clock = {0};
        s.setClock(() -> clock[0]);
        step(s, clock, 10_000, "a", 1, 2, 3);
        JsonNode b = step(s, clock, 10_000, "b", 100);
        assertThat(b.path("count").asLong()).isEqualTo(1);
        assertThat(s.keys()).isEqualTo(2);
        JsonNode a = step(s, clock, 11_000, "a", 4);
        assertThat(a.path("count").asLong()).isEqualTo(4);
        step(s, clock, 15_000, "a", 9);
        assertThat(s.keys()).isEqualTo(1);
    }
}
