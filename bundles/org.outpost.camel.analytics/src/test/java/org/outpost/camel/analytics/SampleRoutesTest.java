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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** The shipped sample route files, run as they are (outpost endpoints swapped for direct ones), against references. */
class SampleRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /**
     * Count windows (window.count readings of a key) over interleaved keys: each summary equals the reference over
     * exactly those readings, in order.
     */
    @Test
    void windowStatsSummariseEachKeysWindowsExactly() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of("window.count", "25", "window.seconds", "3600",
                "key.field", "machine.id", "value.field", "machine.temperature"), "window-stats.camel.yaml")) {
            Random random = new Random(1);
            Map<String, List<Double>> sent = new HashMap<>();
            Map<String, List<Long>> times = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                String key = "m" + (i % 3);
                double v = 20 + random.nextGaussian() * 3;
                long t = T0 + i * 10L;
                sent.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                times.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                routes.send("readings", "{\"machine\": {\"id\": \"" + key + "\", \"temperature\": " + v
                        + "}, \"timestamp\": " + t + "}", Map.of("OutpostMessageId", "reading-" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> routes.count("summary") == 12);
            Map<String, Integer> windowOf = new HashMap<>();
            for (SampleRoutes.Out out : routes.output("summary")) {
                JsonNode s = json(out.body());
                String key = s.path("key").asText();
                int w = windowOf.merge(key, 1, Integer::sum) - 1;
                List<Double> values = sent.get(key).subList(w * 25, w * 25 + 25);
                List<Long> ts = times.get(key).subList(w * 25, w * 25 + 25);
                assertThat(s.path("window").asText()).isEqualTo("tumbling");
                assertThat(s.path("count").asLong()).isEqualTo(25);
                assertThat(s.path("avg").asDouble()).isCloseTo(Reference.mean(values), within(1e-12));
                assertThat(s.path("stddev").asDouble()).isCloseTo(Reference.stddev(values), within(1e-12));
                assertThat(s.path("min").asDouble()).isEqualTo(Reference.min(values));
                assertThat(s.path("max").asDouble()).isEqualTo(Reference.max(values));
                assertThat(s.path("first").asText()).isEqualTo(Instant.ofEpochMilli(ts.get(0)).toString());
                assertThat(s.path("last").asText()).isEqualTo(Instant.ofEpochMilli(ts.get(24)).toString());
                // A new message: not the first reading's id, and says what it is.
                assertThat(out.headers()).containsEntry("MessageType", "WindowSummary")
                        .containsEntry("OutpostAnalyticsKey", key).doesNotContainKey("OutpostMessageId");
            }
            assertThat(windowOf).containsOnlyKeys("m0", "m1", "m2").containsValues(4, 4, 4);
        }
    }

    /** Stopping the route (a reload, new settings, shutdown) summarises the open windows instead of losing them. */
    @Test
    void openWindowsAreSummarisedWhenTheRouteStops() throws Exception {
        for (String[] sample : new String[][] {{"window-stats.camel.yaml", "window-stats", "tumbling"},
                {"window-sliding.camel.yaml", "window-sliding", "sliding"}}) {
            try (SampleRoutes routes = new SampleRoutes(Map.of("window.seconds", "3600", "window.step.seconds", "3600"),
                    sample[0])) {
                for (int i = 0; i < 5; i++) {
                    routes.send("readings", "{\"sensor\": \"m1\", \"value\": " + i + ", \"timestamp\": "
                            + (T0 + i) + "}");
                }
                assertThat(routes.count("summary")).isZero();
                routes.context.getRouteController().stopRoute(sample[1]);
                assertThat(routes.count("summary")).as(sample[0]).isEqualTo(1);
                JsonNode s = json(routes.output("summary").get(0).body());
                assertThat(s.path("window").asText()).isEqualTo(sample[2]);
                assertThat(s.path("count").asLong()).isEqualTo(5);
                assertThat(s.path("avg").asDouble()).isEqualTo(2.0);
            }
        }
    }

    /**
     * Time windows: whatever window each reading fell into, every reading is counted once and the summaries of a key
     * merge to the reference over all its readings. The windows end where the test says, not by the timer: the
     * interval is an hour, and after each round of readings (of a size of its own) the test closes the open windows as
     * a tick of the interval does; each summary is then the reference over its key's readings of that round.
     */
    @Test
    void timeWindowsCountEveryReadingOnce() throws Exception {
        try (SampleRoutes routes = new SampleRoutes(Map.of("window.seconds", "3600"), "window-stats.camel.yaml")) {
            Random random = new Random(2);
            Map<String, List<Double>> sent = new HashMap<>();
            List<Map<String, List<Double>>> rounds = new ArrayList<>();
            List<Map<String, List<Long>>> roundTimes = new ArrayList<>();
            int i = 0;
            for (int round = 0; round < 5; round++) {
                Map<String, List<Double>> values = new HashMap<>();
                Map<String, List<Long>> times = new HashMap<>();
                for (int end = i + 100 + random.nextInt(300); i < end; i++) {
                    String key = "s" + (i % 2);
                    double v = random.nextDouble() * 100;
                    long t = T0 + i * 10L;
                    sent.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                    values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                    times.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                    routes.send("readings", "{\"sensor\": \"" + key + "\", \"value\": " + v + ", \"timestamp\": " + t
                            + "}");
                }
                rounds.add(values);
                roundTimes.add(times);
                assertThat(routes.count("summary")).as("nothing before the round's windows close")
                        .isEqualTo(2 * round);
                assertThat(routes.closeWindows("window-stats")).isEqualTo(2);
                int summaries = 2 * (round + 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> routes.count("summary") == summaries);
            }
            int total = i;
            assertThat(routes.output("summary").stream().mapToLong(o -> readCount(o.body())).sum()).isEqualTo(total);
            Map<String, Merged> merged = new HashMap<>();
            List<SampleRoutes.Out> out = routes.output("summary");
            for (int n = 0; n < out.size(); n++) {
                JsonNode s = json(out.get(n).body());
                String key = s.path("key").asText();
                merged.computeIfAbsent(key, k -> new Merged()).add(s);
                List<Double> values = rounds.get(n / 2).get(key);
                List<Long> times = roundTimes.get(n / 2).get(key);
                assertThat(s.path("count").asLong()).as("summary %d", n).isEqualTo(values.size());
                assertThat(s.path("avg").asDouble()).isCloseTo(Reference.mean(values), within(1e-12));
                assertThat(s.path("stddev").asDouble()).isCloseTo(Reference.stddev(values), within(1e-12));
                assertThat(s.path("min").asDouble()).isEqualTo(Reference.min(values));
                assertThat(s.path("max").asDouble()).isEqualTo(Reference.max(values));
                assertThat(s.path("first").asText()).isEqualTo(Instant.ofEpochMilli(times.get(0)).toString());
                assertThat(s.path("last").asText()).isEqualTo(Instant.ofEpochMilli(times.get(times.size() - 1))
                        .toString());
            }
            assertThat(routes.count("summary")).isEqualTo(10);
            assertThat(merged).containsOnlyKeys(sent.keySet());
            for (String key : sent.keySet()) {
                List<Double> values = sent.get(key);
                Merged m = merged.get(key);
                assertThat(m.count).isEqualTo(values.size());
                assertThat(m.mean).isCloseTo(Reference.mean(values), within(1e-9));
                assertThat(m.stddev()).isCloseTo(Reference.stddev(values), within(1e-9));
                assertThat(m.min).isEqualTo(Reference.min(values));
                assertThat(m.max).isEqualTo(Reference.max(values));
            }
        }
    }

    private static long readCount(String summary) {
        try {
            return json(summary).path("count").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Summaries merged by hand (count, mean, sum of squared differences, min, max), as a reader of them would. */
    static final class Merged {
        long count;
        double mean;
        double m2;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(JsonNode summary) {
            long n = summary.path("count").asLong();
            double m = summary.path("avg").asDouble();
            double sd = summary.path("stddev").asDouble();
            long total = count + n;
            double delta = m - mean;
            m2 += sd * sd * n + delta * delta * count * n / total;
            mean += delta * n / total;
            count = total;
            min = Math.min(min, summary.path("min").asDouble());
            max = Math.max(max, summary.path("max").asDouble());
        }

        double stddev() {
            return Math.sqrt(m2 / count);
        }
    }
}
