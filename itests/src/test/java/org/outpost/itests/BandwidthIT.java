/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * Bandwidth control through the real distributions (docs/bandwidth.md): the gateway batches the sensor's readings
 * and gzips each batch; the hub unpacks them into the readings as the sensor sent them, every one, in order, none
 * carrying the batch's markers; the gateway shows far fewer publishes than messages.
 */
public class BandwidthIT {

    private static final String SENSOR = CloudPair.DEVICE + "/simulated-temperature-sensor ";
    private static final Pattern SEQUENCE = Pattern.compile("[{ ]sequence=(\\d+)[,}]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudPair pair;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void batchedAndGzippedReadingsArriveAtTheHubAsTheSensorSentThem() throws Exception {
        pair = CloudPair.start(Map.of(
                "org.outpost.samples.sensor", Map.of("interval.ms", "20"),
                "org.outpost.upstream", Map.of("batch.enabled", "true", "batch.max.messages", "25",
                        "batch.linger.ms", "300", "compression", "gzip")));

        List<String> lines = await("300 readings at the hub").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> sensorLines(pair.hub), l -> l.size() >= 300);

        // Each reading as the sensor sent it: its output, its application property and JSON body, none of the batch's or gzip's markers.
        for (String line : lines) {
            assertThat(line).contains("output=temperatureOutput", "\"machine\"")
                    .doesNotContain("outpost-batch", "outpost-encoding", "vnd.outpost.batch", "H4sI");
        }
        // Every reading from the first one the hub saw, in order, none missing (a restart-free run sends 1, 2, ...).
        List<Long> firstSeen = new ArrayList<>(new LinkedHashSet<>(sequences(lines)));
        assertThat(firstSeen).isSorted();
        long first = firstSeen.get(0);
        for (int i = 0; i < firstSeen.size(); i++) {
            assertThat(firstSeen.get(i)).as("reading %d at the hub", i).isEqualTo(first + i);
        }

        // The gateway says what it did: batches, and many messages per publish.
        JsonNode status = JSON.readTree(pair.gateway.shell("edge:upstream --json"));
        JsonNode bandwidth = status.path("bandwidth");
        assertThat(bandwidth.path("Batches").asLong()).as("edge:upstream --json: %s", status).isPositive();
        assertThat(bandwidth.path("Messages published").asLong())
                .isGreaterThan(3 * bandwidth.path("Publishes").asLong());
        assertThat(bandwidth.path("Bytes on the wire").asLong())
                .isLessThan(bandwidth.path("Bytes before compression").asLong());
        assertThat(pair.gateway.shell("edge:upstream")).contains("Batching", "on: 25 messages", "gzip");
    }

    private static List<String> sensorLines(GatewayProcess hub) throws Exception {
        Path log = hub.home().resolve("data/log/telemetry.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(SENSOR)).toList()
                : List.of();
    }

    private static List<Long> sequences(List<String> lines) {
        List<Long> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = SEQUENCE.matcher(line);
            assertThat(m.find()).as("a sequence number in %s", line).isTrue();
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
