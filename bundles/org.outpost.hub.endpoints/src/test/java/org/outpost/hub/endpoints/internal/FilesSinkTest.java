/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.hub.endpoints.internal.TestMessages.bytes;
import static org.outpost.hub.endpoints.internal.TestMessages.json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.routing.RoutedMessage;

import com.fasterxml.jackson.databind.JsonNode;

class FilesSinkTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = TestMessages.T0;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();

    private FilesSink sink(long maxBytes, Duration rotate, int maxFiles) {
        return new FilesSink("archive", new FilesSink.Options(dir, "archive", maxBytes, rotate, maxFiles), clock);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    lines.add(MessageJson.MAPPER.readTree(line));
                }
            }
        }
        return lines;
    }

    private static List<RoutedMessage> batch(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> json(i, "d1", "{\"n\":" + i + "}")).toList();
    }

    @Test
    void writesOneJsonObjectPerLineWithJsonBodiesAsJsonAndOthersAsBase64() throws Exception {
        try (FilesSink sink = sink(1 << 20, Duration.ofHours(1), 10)) {
            sink.deliver(List.of(json(1, "d1", "{\"temperature\":21.5}"), bytes(2, "d2", new byte[] {0, 1, 2, -1})));
        }
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.get("sequence").asLong()).isEqualTo(1);
        assertThat(first.get("route").asText()).isEqualTo("telemetry");
        assertThat(first.get("deviceId").asText()).isEqualTo("d1");
        assertThat(first.get("moduleId").asText()).isEqualTo("sensor");
        assertThat(first.get("enqueuedTime").asText()).isEqualTo("2026-12-05T12:00:00.001Z");
        assertThat(first.get("body").get("temperature").asDouble()).isEqualTo(21.5);
        assertThat(first.get("properties").get("alert").asText()).isEqualTo("no");
        assertThat(first.get("systemProperties").get("contentType").asText()).isEqualTo("application/json");
        assertThat(first.get("systemProperties").get("messageId").asText()).isEqualTo("m1");
        JsonNode second = lines.get(1);
        assertThat(second.has("body")).isFalse();
        assertThat(Base64.getDecoder().decode(second.get("bodyBase64").asText())).containsExactly(0, 1, 2, -1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactly("archive-20261205T120000.000Z.jsonl");
        }
    }

    @Test
    void rotatesBySizeAtBatchBoundariesAndKeepsMaxFiles() throws Exception {
        int lineLength = MessageJson.line(json(10, "d1", "{\"n\":10}")).length;
        try (FilesSink sink = sink(3L * lineLength + 1, Duration.ofHours(1), 3)) {
            for (long i = 10; i < 30; i += 2) {
                clock.now = clock.now.plusMillis(5);
                sink.deliver(batch(i, i + 1)); // 2 lines a batch, at most 1 batch a file
            }
            List<Path> files = sink.files();
            assertThat(files).hasSize(3);
            for (Path f : files) {
                assertThat(Files.readAllLines(f)).hasSize(2);
            }
        }
        // The newest 3 files hold the last 6 messages, in order.
        assertThat(lines()).extracting(l -> l.get("sequence").asLong()).containsExactly(24L, 25L, 26L, 27L, 28L,
                29L);
    }

    @Test
    void rotatesByTime() throws Exception {
        try (FilesSink sink = sink(1 << 20, Duration.ofSeconds(60), 0)) {
            sink.deliver(batch(1, 2));
            clock.now = clock.now.plusSeconds(59);
            sink.deliver(batch(3, 3));
            assertThat(sink.files()).hasSize(1);
            clock.now = clock.now.plusSeconds(1);
            sink.deliver(batch(4, 4));
            assertThat(sink.files()).extracting(f -> f.getFileName().toString())
                    .containsExactly("archive-20261205T120000.000Z.jsonl", "archive-20261205T120100.000Z.jsonl");
        }
        assertThat(lines()).extracting(l -> l.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aRedeliveredBatchIsNotWrittenTwiceAlsoAfterARestart() throws Exception {
        try (FilesSink sink = sink(1 << 20, Duration.ofHours(1), 0)) {
            sink.deliver(batch(1, 3));
            sink.deliver(batch(2, 5)); // 2 and 3 again, then 4 and 5
        }
        clock.now = clock.now.plusSeconds(1);
        try (FilesSink restarted = sink(1 << 20, Duration.ofHours(1), 0)) {
            restarted.deliver(batch(4, 6));
        }
        assertThat(lines()).extracting(l -> l.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aTornLastLineIsCutOffAndItsMessageWrittenAgain() throws Exception {
        try (FilesSink sink = sink(1 << 20, Duration.ofHours(1), 0)) {
            sink.deliver(batch(1, 2));
        }
        Path file = dir.resolve("archive-20261205T120000.000Z.jsonl");
        Files.writeString(file, "{\"sequence\":3,\"rou", java.nio.file.StandardOpenOption.APPEND);
        clock.now = clock.now.plusSeconds(1);
        try (FilesSink restarted = sink(1 << 20, Duration.ofHours(1), 0)) {
            restarted.deliver(batch(3, 3));
        }
        assertThat(lines()).extracting(l -> l.get("sequence").asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFolderThatCannotBeWrittenFailsTheDeliveryNamingIt() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        FilesSink sink = new FilesSink("archive", new FilesSink.Options(notAFolder.resolve("sub"), "archive", 1024,
                Duration.ofHours(1), 0), clock);
        assertThatThrownBy(() -> sink.deliver(batch(1, 1))).hasMessageContaining("routing endpoint archive (files)")
                .hasMessageContaining(notAFolder.resolve("sub").toString());
    }

    @Test
    void settingsAreCheckedNamingTheSetting() {
        FilesEndpointType type = new FilesEndpointType();
        assertThatThrownBy(() -> type.open("a", Map.of())).hasMessage("settings.folder: required");
        assertThatThrownBy(() -> type.open("a", Map.of("folder", dir.toString(), "maxFiles", -1)))
                .hasMessageStartingWith("settings.maxFiles: -1 is below the minimum 0");
        assertThatThrownBy(() -> type.open("a", Map.of("folder", dir.toString(), "prefix", "../x")))
                .hasMessageStartingWith("settings.prefix:");
        assertThatThrownBy(() -> type.open("a", Map.of("folder", dir.toString(), "maxFilesize", 10)))
                .hasMessageStartingWith("settings.maxFilesize: unknown setting");
        assertThat(type.open("a", Map.of("folder", dir.toString(), "maxFileBytes", "4096"))).isNotNull();
    }
}
