/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;

class TelemetryPackingTest {

    private static final Message A = Message.builder().body("{\"t\":21.5}").messageId("m-1").correlationId("c-1")
            .contentType("application/json").contentEncoding("utf-8")
            .creationTimeUtc(Instant.parse("2026-12-05T06:00:00Z")).connectionDeviceId("gw1")
            .connectionModuleId("sensor").outputName("temperature").property("unit", "C")
            .property("a b&c=d", "x/y z").build();
    private static final Message B = Message.builder().body(new byte[] {0, (byte) 0xff, 10, 13})
            .messageId("m-2").connectionDeviceId("gw1").connectionModuleId("sensor").property("kind", "raw").build();

    private static TelemetryTopic topicOf(Message m) {
        return new TelemetryTopic(m.connectionDeviceId(), m.connectionModuleId(), PropertyBag.of(m));
    }

    private static TelemetryTopic batchTopic(List<Message> messages, boolean gzip) {
        Map<String, String> bag = TelemetryPacking.batchProperties(PropertyBag.of(messages.get(0)), messages.size());
        return new TelemetryTopic("gw1", "sensor", gzip ? TelemetryPacking.gzipProperties(bag) : bag);
    }

    private static byte[] payload(List<Message> messages, boolean gzip) {
        byte[] json = TelemetryPacking.batch(messages.stream().map(m -> new TelemetryPacking.Item(PropertyBag.of(m),
                m.body())).toList());
        return gzip ? TelemetryPacking.gzip(json) : json;
    }

    @Test
    void aBatchUnpacksIntoTheOriginalMessagesWithTheirTopicsPropertiesAndBodies() {
        TelemetryTopic outer = batchTopic(List.of(A, B), false);
        assertThat(outer.properties()).containsEntry("$.ct", TelemetryPacking.BATCH_CONTENT_TYPE)
                .containsEntry(TelemetryPacking.BATCH, "2");

        List<TelemetryPacking.Unpacked> out = TelemetryPacking.unpack(outer, payload(List.of(A, B), false));

        assertThat(out).hasSize(2);
        assertThat(out.get(0).topic().format()).isEqualTo(topicOf(A).format());
        assertThat(out.get(0).topic().properties()).isEqualTo(PropertyBag.of(A));
        assertThat(out.get(0).body()).isEqualTo(A.body());
        assertThat(out.get(1).topic().properties()).isEqualTo(PropertyBag.of(B));
        assertThat(out.get(1).body()).isEqualTo(B.body());
        Message back = PropertyBag.apply(out.get(0).topic().properties(), Message.builder().body(out.get(0).body()))
                .build();
        assertThat(back).isEqualTo(A);
    }

    @Test
    void aCompressedBatchAndACompressedMessageUnpackToTheOriginals() {
        List<TelemetryPacking.Unpacked> batch = TelemetryPacking.unpack(batchTopic(List.of(A, B), true),
                payload(List.of(A, B), true));
        assertThat(batch).extracting(u -> u.topic().format()).containsExactly(topicOf(A).format(),
                topicOf(B).format());

        byte[] big = "{\"reading\":1234567890}".repeat(50).getBytes(StandardCharsets.UTF_8);
        Message m = A.toBuilder().body(big).build();
        byte[] z = TelemetryPacking.gzip(big);
        assertThat(z.length).isLessThan(big.length / 5);
        TelemetryTopic zipped = new TelemetryTopic("gw1", "sensor", TelemetryPacking.gzipProperties(PropertyBag.of(m)));
        assertThat(zipped.properties()).containsEntry("$.ce", "gzip").containsEntry(TelemetryPacking.ENCODING, "gzip")
                .containsEntry(TelemetryPacking.ORIGINAL_ENCODING, "utf-8");

        List<TelemetryPacking.Unpacked> one = TelemetryPacking.unpack(zipped, z);

        assertThat(one).hasSize(1);
        assertThat(one.get(0).topic().properties()).isEqualTo(PropertyBag.of(m));
        assertThat(one.get(0).body()).isEqualTo(big);
    }

    @Test
    void aMessageWithoutMarkersIsLeftAloneEvenADevicesOwnGzip() {
        Message own = B.toBuilder().contentEncoding("gzip").build();
        List<TelemetryPacking.Unpacked> out = TelemetryPacking.unpack(topicOf(own), own.body());
        assertThat(out).singleElement().satisfies(u -> {
            assertThat(u.topic()).isEqualTo(topicOf(own));
            assertThat(u.body()).isEqualTo(own.body());
        });
        assertThat(TelemetryPacking.isPacked(topicOf(own).properties())).isFalse();
    }

    @Test
    void anElementCannotSpeakForAnotherDeviceOrModule() {
        Message forged = A.toBuilder().connectionDeviceId("other").connectionModuleId("evil").build();
        byte[] json = TelemetryPacking.batch(List.of(new TelemetryPacking.Item(PropertyBag.of(forged),
                forged.body())));

        List<TelemetryPacking.Unpacked> out = TelemetryPacking.unpack(batchTopic(List.of(A), false), json);

        assertThat(out.get(0).topic().deviceId()).isEqualTo("gw1");
        assertThat(out.get(0).topic().properties()).containsEntry("$.cdid", "gw1").containsEntry("$.cmid", "sensor");
    }

    @Test
    void malformedBatchesAndPayloadsAreRefusedWithWhatIsWrong() {
        TelemetryTopic outer = batchTopic(List.of(A, B), false);
        assertThatThrownBy(() -> TelemetryPacking.unpack(outer, "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> TelemetryPacking.unpack(outer, "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> TelemetryPacking.unpack(outer, "[{\"body\":\"%%\"}]".getBytes(
                StandardCharsets.UTF_8))).hasMessageContaining("not Base64");
        assertThatThrownBy(() -> TelemetryPacking.unpack(batchTopic(List.of(A), true), new byte[] {1, 2, 3}))
                .hasMessageContaining("not gzip");
        byte[] bomb = TelemetryPacking.gzip(new byte[TelemetryPacking.MAX_INFLATED_BYTES + 1]);
        assertThatThrownBy(() -> TelemetryPacking.unpack(batchTopic(List.of(A), true), bomb))
                .hasMessageContaining("expands to more than");
    }
}
