/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** De-duplication, anomaly detection, sliding windows and the simulated readings, as shipped. */
class MoreSampleRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Test
    void dedupDropsAnIdSeenInTheWindowAndPassesTheRestUnchanged() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of(), "dedup.camel.yaml")) {
            for (String id : List.of("a", "b", "a", "c", "b", "a")) {
                routes.send("readings", "{\"id\": \"" + id + "\", \"value\": 1}", Map.of("OutpostMessageId",
                        "msg-" + id + "-" + System.nanoTime(), "Site", "north"));
            }
            // No id field: the message id is the id.
            routes.send("readings", "{\"value\": 2}", Map.of("OutpostMessageId", "m-1"));
            routes.send("readings", "{\"value\": 3}", Map.of("OutpostMessageId", "m-1"));
            routes.send("readings", "{\"value\": 4}", Map.of("OutpostMessageId", "m-2"));
            List<String> bodies = routes.output("readings").stream().map(SampleRoutes.Out::body).toList();
            assertThat(bodies).containsExactly("{\"id\": \"a\", \"value\": 1}", "{\"id\": \"b\", \"value\": 1}",
                    "{\"id\": \"c\", \"value\": 1}", "{\"value\": 2}", "{\"value\": 4}");
            assertThat(routes.output("readings").get(0).headers()).containsEntry("Site", "north")
                    .doesNotContainKeys(AnalyticsHeaders.ID, AnalyticsHeaders.KEY, AnalyticsHeaders.TIME);
        }
    }

    /** One spike among steady readings is one alert, whose numbers are the reference's over the window before it. */
    @Test
    void anomalyTurnsASpikeIntoAnAlertAndNothingElse() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of("window.size", "30", "min.count", "10"),
                "anomaly.camel.yaml")) {
            Random random = new Random(4);
            List<Double> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                double v = 20 + random.nextDouble();
                sent.add(v);
                routes.send("readings", "{\"sensor\": \"m1\", \"value\": " + v + "}");
                routes.send("readings", "{\"sensor\": \"m2\", \"value\": " + (50 + random.nextDouble()) + "}");
            }
            routes.send("readings", "not json at all");
            routes.send("readings", "{\"sensor\": \"m1\", \"value\": \"hot\"}");
            assertThat(routes.output("alerts")).isEmpty();
            routes.send("readings", "{\"sensor\": \"m1\", \"value\": 35.5, \"timestamp\": \"2026-01-01T00:00:01.230Z\"}");
            assertThat(routes.output("alerts")).hasSize(1);
            SampleRoutes.Out out = routes.output("alerts").get(0);
            JsonNode alert = JSON.readTree(out.body());
            List<Double> window = sent.subList(30, 60);
            double mean = Reference.mean(window);
            double sd = Reference.stddev(window);
            assertThat(alert.path("key").asText()).isEqualTo("m1");
            assertThat(alert.path("value").asDouble()).isEqualTo(35.5);
            assertThat(alert.path("mean").asDouble()).isCloseTo(mean, within(1e-12));
            assertThat(alert.path("stddev").asDouble()).isCloseTo(sd, within(1e-12));
            assertThat(alert.path("score").asDouble()).isCloseTo((35.5 - mean) / sd, within(1e-9));
            assertThat(alert.path("detector").asText()).isEqualTo("zscore");
            assertThat(alert.path("time").asText()).isEqualTo("2026-01-01T00:00:01.230Z");
            assertThat(out.headers()).containsEntry("MessageType", "Alert").containsEntry("OutpostAnalyticsKey", "m1");
        }
    }

    @Test
    void ewmaAnomalyAlertsOnASpike() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of("alpha", "0.2"), "anomaly-ewma.camel.yaml")) {
            Random random = new Random(8);
            for (int i = 0; i < 40; i++) {
                routes.send("readings", "{\"sensor\": \"m1\", \"value\": " + (20 + random.nextDouble() * 0.5) + "}");
            }
            assertThat(routes.output("alerts")).isEmpty();
            routes.send("readings", "{\"sensor\": \"m1\", \"value\": 30}");
            assertThat(routes.output("alerts")).hasSize(1);
            JsonNode alert = JSON.readTree(routes.output("alerts").get(0).body());
            assertThat(alert.path("detector").asText()).isEqualTo("ewma");
            assertThat(alert.path("score").asDouble()).isGreaterThan(3);
        }
    }

    /**
     * Windows of two steps, the steps ended by the test (as ticks of the completion interval do) on the strategy's
     * clock, which the test sets: each report spans the window's length and is the reference over its two steps.
     */
    @Test
    void slidingWindowsReportWindowsOfTheirLength() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of("window.seconds", "7200", "window.step.seconds", "3600"),
                "window-sliding.camel.yaml")) {
            long[] clock = {T0};
            routes.bean("slidingStats", SlidingWindowStats.class).setClock(() -> clock[0]);
            int[] perStep = {60, 140, 120, 80};
            List<List<Double>> steps = new ArrayList<>();
            int sent = 0;
            for (int step = 0; step < perStep.length; step++) {
                List<Double> values = new ArrayList<>();
                for (int j = 0; j < perStep[step]; j++) {
                    int v = sent++ % 10;
                    values.add((double) v);
                    routes.send("readings", "{\"sensor\": \"k\", \"value\": " + v + "}");
                }
                steps.add(values);
                clock[0] += Duration.ofHours(1).toMillis();
                assertThat(routes.closeWindows("window-sliding")).isEqualTo(1);
                int reports = step + 1;
                await().atMost(Duration.ofSeconds(5)).until(() -> routes.count("summary") == reports);
            }
            int total = sent;
            List<SampleRoutes.Out> out = routes.output("summary");
            assertThat(out).hasSize(perStep.length);
            for (int n = 0; n < out.size(); n++) {
                JsonNode s = JSON.readTree(out.get(n).body());
                assertThat(s.path("window").asText()).isEqualTo("sliding");
                Instant end = Instant.ofEpochMilli(T0).plus(Duration.ofHours(n + 1));
                assertThat(s.path("end").asText()).isEqualTo(end.toString());
                assertThat(Duration.between(Instant.parse(s.path("start").asText()), Instant.parse(s.path("end")
                        .asText()))).isEqualTo(Duration.ofHours(2));
                List<Double> window = new ArrayList<>(n == 0 ? List.of() : steps.get(n - 1));
                window.addAll(steps.get(n));
                assertThat(s.path("count").asLong()).as("report %d", n).isEqualTo(window.size())
                        .isBetween(1L, (long) total);
                assertThat(s.path("avg").asDouble()).isCloseTo(Reference.mean(window), within(1e-12));
                assertThat(s.path("stddev").asDouble()).isCloseTo(Reference.stddev(window), within(1e-12));
                assertThat(s.path("min").asDouble()).isEqualTo(Reference.min(window)).isGreaterThanOrEqualTo(0);
                assertThat(s.path("max").asDouble()).isEqualTo(Reference.max(window)).isLessThanOrEqualTo(9);
            }
            // From the second step on, a window spans two steps: more readings than any single step had.
            assertThat(routes.output("summary").stream().mapToLong(o -> count(o.body())).max().orElseThrow())
                    .isGreaterThan(total * 2L / 5);
        }
    }

    private static long count(String body) {
        try {
            return JSON.readTree(body).path("count").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The 100x point: three simulated sensors at 100 readings/s each into 1 s window statistics; what leaves is one
     * summary per sensor and second. Also checks that the simulated readings are readings (nothing is dropped).
     */
    @Test
    void simulatedReadingsAt100PerSecondBecomeOneSummaryPerSensorAndSecond() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of("window.seconds", "1", "period.ms", "10"),
                Map.of("readings", "readings"), "simulated-readings.camel.yaml", "window-stats.camel.yaml")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> routes.count("summary") >= 15);
            routes.context.getRouteController().stopRoute("simulated-readings");
            int readings = routes.count("readings");
            long summarised = routes.output("summary").stream().mapToLong(o -> count(o.body())).sum();
            double ratio = (double) readings / routes.count("summary");
            System.out.printf("simulated: %d readings in, %d summaries out (%d readings summarised), %.1fx fewer%n",
                    readings, routes.count("summary"), summarised, ratio);
            assertThat(summarised).isLessThanOrEqualTo(readings);
            for (SampleRoutes.Out out : routes.output("summary")) {
                JsonNode s = JSON.readTree(out.body());
                assertThat(s.path("key").asText()).isIn("m1", "m2", "m3");
                assertThat(s.path("min").asDouble()).isGreaterThanOrEqualTo(20);
            }
            // Timers on a shared 2-core machine fire late at times: at least 60 readings per summary, 100 nominal.
            assertThat(ratio).isGreaterThan(60);
        }
    }
}
