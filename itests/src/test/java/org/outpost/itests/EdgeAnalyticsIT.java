/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped window statistics route module ({@code samples/routes/window-stats.camel.yaml}) in a real gateway: a test
 * route module ({@code analytics-feed.camel.yaml}, dropped into {@code deploy/} with it) sends a fixed sequence of
 * readings, a gateway route takes them to the window module's input, and its summaries go to {@code $upstream}, a
 * Mosquitto playing the cloud. Every summary equals the reference computed here over the same readings (count windows,
 * so that the windows do not depend on timing).
 */
public class EdgeAnalyticsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 3;
    private static final int PER_KEY = 60;
    private static final int WINDOW = 20;
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static Mosquitto cloud;
    private static CloudSubscriber subscriber;
    private static GatewayProcess gateway;

    @BeforeClass
    public static void start() throws Exception {
        int cloudPort = GatewayProcess.freePort();
        cloud = new Mosquitto(cloudPort, false).start();
        subscriber = new CloudSubscriber(cloudPort, "it-edge-analytics");
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                Files.createTempDirectory(base, "edge-analytics"));
        gateway.config("org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + cloudPort));
        gateway.routes(Map.of(
                "feed", "FROM /messages/modules/analytics-feed/outputs/readings"
                        + " INTO BrokeredEndpoint(\"/modules/window-stats/inputs/readings\")",
                "summaries", "FROM /messages/modules/window-stats/outputs/summary INTO $upstream"));
        gateway.start();
        gateway.awaitLog("Upstream connected", Duration.ofSeconds(120));
        // The window module's settings (its placeholders): count windows of 20 readings per key. Through the shell,
        // not etc/: fileinstall reads etc/org.outpost.module.window-stats.cfg as a factory configuration ("-").
        await("the window module's settings").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> gateway.shell("config:edit org.outpost.module.window-stats\n"
                        + "config:property-set window.count " + WINDOW + "\n"
                        + "config:property-set window.seconds 3600\n"
                        + "config:property-set key.field machine.id\n"
                        + "config:property-set value.field machine.temperature\n"
                        + "config:update\n"
                        + "config:list '(service.pid=org.outpost.module.window-stats)'"),
                        out -> out.contains("machine.temperature"));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
        if (cloud != null) {
            cloud.stop();
        }
    }

    /** @return the sample as the distribution ships it (a distribution without it fails the test) */
    private static Path sample(String name) {
        Path shipped = gateway.home().resolve("samples/routes").resolve(name);
        assertThat(shipped).as("the distribution's sample route module").exists();
        return shipped;
    }

    /**
     * Puts a route file into the gateway's deploy/ whole: written beside deploy/ under a name fileinstall does not
     * watch, then moved in atomically, so that fileinstall never reads a partial file.
     */
    private static void drop(String name, String content) throws Exception {
        Path aside = Files.createTempFile(gateway.home(), name, ".tmp");
        Files.writeString(aside, content);
        Files.move(aside, gateway.home().resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    public void windowSummariesEqualTheReferenceOverTheSameReadings() throws Exception {
        // The readings: three machines, interleaved, each value exactly as the JSON text says.
        Random random = new Random(20);
        Map<String, List<double[]>> byKey = new LinkedHashMap<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < KEYS * PER_KEY; i++) {
            String key = "press-" + (i % KEYS);
            double value = Math.round((60 + random.nextGaussian() * 5) * 1000) / 1000.0;
            long time = T0 + i * 10L;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {value, time});
            lines.append("{\"machine\": {\"id\": \"").append(key).append("\", \"temperature\": ")
                    .append(value).append("}, \"timestamp\": ").append(time).append("}\n");
        }
        drop("window-stats.camel.yaml", Files.readString(sample("window-stats.camel.yaml")));
        await("window-stats running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> gateway.shell("edge:list").matches("(?s).*window-stats[^\\n]*running.*"));
        drop("analytics-feed.camel.yaml", feed(lines.toString()));

        int expected = KEYS * PER_KEY / WINDOW;
        await("the summaries at the cloud").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> subscriber.from("window-stats").size() >= expected);
        List<JsonNode> summaries = new ArrayList<>();
        for (CloudSubscriber.Received r : subscriber.from("window-stats")) {
            summaries.add(JSON.readTree(r.body()));
        }
        assertThat(summaries).hasSize(expected);

        // The reference: each key's readings in the order sent, in windows of WINDOW.
        for (Map.Entry<String, List<double[]>> e : byKey.entrySet()) {
            List<JsonNode> mine = summaries.stream().filter(s -> s.path("key").asText().equals(e.getKey()))
                    .sorted(Comparator.comparing(s -> Instant.parse(s.path("first").asText()))).toList();
            assertThat(mine).as("summaries of %s", e.getKey()).hasSize(PER_KEY / WINDOW);
            for (int w = 0; w < mine.size(); w++) {
                List<double[]> window = e.getValue().subList(w * WINDOW, (w + 1) * WINDOW);
                JsonNode s = mine.get(w);
                double mean = window.stream().mapToDouble(r -> r[0]).sum() / WINDOW;
                double variance = window.stream().mapToDouble(r -> (r[0] - mean) * (r[0] - mean)).sum() / WINDOW;
                assertThat(s.path("window").asText()).isEqualTo("tumbling");
                assertThat(s.path("count").asLong()).isEqualTo(WINDOW);
                assertThat(s.path("avg").asDouble()).as("%s window %d", e.getKey(), w).isCloseTo(mean, within(1e-9));
                assertThat(s.path("stddev").asDouble()).isCloseTo(Math.sqrt(variance), within(1e-9));
                assertThat(s.path("min").asDouble()).isEqualTo(window.stream().mapToDouble(r -> r[0]).min()
                        .orElseThrow());
                assertThat(s.path("max").asDouble()).isEqualTo(window.stream().mapToDouble(r -> r[0]).max()
                        .orElseThrow());
                assertThat(s.path("first").asText()).isEqualTo(Instant.ofEpochMilli((long) window.get(0)[1])
                        .toString());
                assertThat(s.path("last").asText()).isEqualTo(Instant.ofEpochMilli((long) window.get(WINDOW - 1)[1])
                        .toString());
            }
        }
    }

    /** A route module that sends these lines once, one message each, in order. */
    static String feed(String lines) {
        StringBuilder yaml = new StringBuilder("""
                # Sends the test's readings once, one message each, in order.
                - route:
                    id: analytics-feed
                    from:
                      uri: "timer:feed?repeatCount=1&delay=500"
                      steps:
                        - setBody:
                            constant: |-
                """);
        for (String line : lines.strip().split("\n")) {
            yaml.append("              ").append(line).append('\n');
        }
        return yaml.append("""
                        - split:
                            tokenize: "\\n"
                            steps:
                              - to: outpost:output/readings
                """).toString();
    }
}
