/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.protocol.TelemetryPacking;
import org.outpost.protocol.TelemetryTopic;

/** The bandwidth stage on its own, on a clock the test moves: when batches flush, what they carry, the buckets. */
class ShaperTest {

    private record Published(String topic, byte[] payload, List<String> messages) {
        TelemetryTopic telemetry() {
            return TelemetryTopic.parse(topic).orElseThrow();
        }
    }

    private final List<Published> published = new ArrayList<>();
    private final List<String> expired = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);

    private Shaper<String> shaper(Map<String, Object> config) throws Exception {
        Map<String, Object> cfg = new HashMap<>(config);
        cfg.putIfAbsent("max.inflight", "1000");
        UpstreamSettings s = UpstreamSettings.from(UpstreamSettingsTest.config(cfg), cfg);
        return new Shaper<>(() -> s, () -> "gw1", (topic, payload, messages) -> published.add(new Published(topic,
                payload, messages)), expired::add, clock, () -> nanos, new TestMetrics());
    }

    private static Shaper.Pending<String> message(String id, String module, int priority, String body) {
        Message m = Message.builder().body(body).messageId(id).connectionModuleId(module).outputName("out")
                .property("seq", id).build();
        return new Shaper.Pending<>(id, m, m.body(), null, priority, 0);
    }

    private static Shaper.Pending<String> routed(String id, String route) {
        Message m = Message.builder().body("{\"v\":" + id + "}").messageId(id).connectionModuleId("sensor").build();
        return new Shaper.Pending<>(id, m, m.body(), route, 9, 0);
    }

    @Test
    void aBatchIsPublishedWhenItHoldsBatchMaxMessagesAsOneJsonArrayUnderItsSender() throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "batch.max.messages", "3"));

        s.offer(message("1", "sensor", 9, "a"));
        s.offer(message("2", "sensor", 9, "b"));
        s.pump();
        assertThat(published).isEmpty();
        s.offer(message("3", "sensor", 9, "c"));
        s.pump();

        assertThat(published).singleElement().satisfies(p -> {
            assertThat(p.messages()).containsExactly("1", "2", "3");
            assertThat(p.telemetry().deviceId()).isEqualTo("gw1");
            assertThat(p.telemetry().moduleId()).isEqualTo("sensor");
            assertThat(p.telemetry().properties()).containsEntry(TelemetryPacking.BATCH, "3");
            assertThat(TelemetryPacking.unpack(p.telemetry(), p.payload())).extracting(u -> new String(u.body(),
                    StandardCharsets.UTF_8)).containsExactly("a", "b", "c");
        });
        assertThat(s.counters().publishes()).isEqualTo(1);
        assertThat(s.counters().messages()).isEqualTo(3);
    }

    @Test
    void aBatchIsPublishedWhenItsBytesReachBatchMaxBytesAndTheMessageThatWouldOverflowStartsTheNext()
            throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "batch.max.bytes", "1024"));
        String half = "x".repeat(500);

        s.offer(message("1", "sensor", 9, half));
        s.offer(message("2", "sensor", 9, half));
        s.offer(message("3", "sensor", 9, half));
        s.pump();

        assertThat(published).singleElement().satisfies(p -> assertThat(p.messages()).containsExactly("1", "2"));
        nanos += TimeUnit.MILLISECONDS.toNanos(200);
        s.pump();
        assertThat(published).hasSize(2);
        // A batch of one goes out as the message itself, without the batch's envelope.
        assertThat(published.get(1).messages()).containsExactly("3");
        assertThat(published.get(1).telemetry().properties()).doesNotContainKey(TelemetryPacking.BATCH)
                .containsEntry("seq", "3");
    }

    @Test
    void aBatchIsPublishedWhenItsFirstMessageHasWaitedTheLingerTime() throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "batch.linger.ms", "100"));
        s.offer(message("1", "sensor", 9, "a"));
        nanos += TimeUnit.MILLISECONDS.toNanos(60);
        s.offer(message("2", "sensor", 9, "b"));
        s.pump();
        assertThat(published).isEmpty();
        assertThat(s.nextEventNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));

        nanos += TimeUnit.MILLISECONDS.toNanos(40);
        s.pump();

        assertThat(published).singleElement().satisfies(p -> assertThat(p.messages()).containsExactly("1", "2"));
    }

    @Test
    void sendersAndPrioritiesAreBatchedApartSoNoHigherPriorityMessageWaitsBehindLowerOnes() throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "batch.max.messages", "2"));
        s.offer(message("low-1", "sensor", 9, "a"));
        s.offer(message("other-1", "other", 9, "b"));
        s.offer(message("high-1", "sensor", 0, "c"));
        s.offer(message("high-2", "sensor", 0, "d"));
        s.pump();

        assertThat(published).singleElement().satisfies(p -> assertThat(p.messages()).containsExactly("high-1",
                "high-2"));
    }

    @Test
    void aMessageWhoseTimeToLiveRanOutIsNotPutInABatch() throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "batch.max.messages", "3"));
        s.offer(message("1", "sensor", 9, "a"));
        Message m = Message.builder().body("old").messageId("2").connectionModuleId("sensor").build();
        s.offer(new Shaper.Pending<>("2", m, m.body(), null, 9, clock.millis() - 1));
        s.offer(message("3", "sensor", 9, "c"));
        s.pump();

        assertThat(expired).containsExactly("2");
        assertThat(published).singleElement().satisfies(p -> assertThat(p.messages()).containsExactly("1", "3"));
    }

    @Test
    void gzipCompressesPayloadsAndKeepsSmallOnesAsTheyAre() throws Exception {
        Shaper<String> s = shaper(Map.of("compression", "gzip", "compression.min.bytes", "64"));
        String big = "{\"temperature\":21.5,\"humidity\":40}".repeat(20);
        s.offer(message("1", "sensor", 9, big));
        s.offer(message("2", "sensor", 9, "{}"));
        s.pump();

        assertThat(published).hasSize(2);
        Published z = published.get(0);
        assertThat(z.telemetry().properties()).containsEntry("$.ce", "gzip");
        assertThat(z.payload().length).isLessThan(big.length() / 4);
        assertThat(TelemetryPacking.unpack(z.telemetry(), z.payload()).get(0).body())
                .isEqualTo(big.getBytes(StandardCharsets.UTF_8));
        assertThat(published.get(1).telemetry().properties()).containsEntry("$.ce", "utf-8")
                .doesNotContainKey(TelemetryPacking.ENCODING);
        assertThat(s.counters().bytesBefore()).isEqualTo(big.length() + 2);
        assertThat(s.counters().bytesOnWire()).isEqualTo(z.payload().length + 2);
    }

    @Test
    void aRouteCanOptOutOfBatchingOrIntoCompressionAndHaveARateOfItsOwn() throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "batch.max.messages", "10",
                "route.alerts.batch", "false", "route.bulk.compression", "gzip", "compression.min.bytes", "0",
                "route.slow.rate.messages.per.second", "1"));

        s.offer(routed("1", "bulk"));
        s.offer(routed("2", "alerts"));
        s.pump();
        assertThat(published).singleElement().satisfies(p -> assertThat(p.messages()).containsExactly("2"));

        s.offer(routed("3", "slow"));
        s.offer(routed("4", "slow"));
        s.flushAll();
        assertThat(published).hasSize(3);
        assertThat(published.get(1).messages()).containsExactly("1");
        // A batch bigger than its route's burst still goes when the bucket is full (the bucket owes the rest).
        assertThat(published.get(2).messages()).containsExactly("3", "4");
    }

    @Test
    void theRateLimitHoldsPublishesBackUntilTheBucketHasTokensAgain() throws Exception {
        Shaper<String> s = shaper(Map.of("rate.messages.per.second", "10", "rate.burst.messages", "2"));
        for (int i = 1; i <= 4; i++) {
            s.offer(message(Integer.toString(i), "sensor", 9, "m"));
        }
        s.pump();
        assertThat(published).hasSize(2);
        assertThat(s.blocked()).isTrue();
        assertThat(s.nextEventNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

        nanos += TimeUnit.MILLISECONDS.toNanos(100);
        s.pump();
        assertThat(published).hasSize(3);
        nanos += TimeUnit.MILLISECONDS.toNanos(100);
        s.pump();
        assertThat(published).extracting(p -> p.messages().get(0)).containsExactly("1", "2", "3", "4");
        assertThat(s.blocked()).isFalse();
        assertThat(s.counters().rateWaitMs()).isEqualTo(200);
    }

    @Test
    void discardGivesBackEveryMessageNotYetPublished() throws Exception {
        Shaper<String> s = shaper(Map.of("batch.enabled", "true", "rate.messages.per.second", "1"));
        s.offer(message("1", "sensor", 9, "a"));
        s.offer(message("2", "other", 9, "b"));

        assertThat(s.discard()).containsExactlyInAnyOrder("1", "2");
        assertThat(s.idle()).isTrue();
    }
}
