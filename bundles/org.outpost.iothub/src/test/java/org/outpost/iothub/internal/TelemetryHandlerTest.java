/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.IotHubAcl;
import org.outpost.iothub.spi.Identity;

class TelemetryHandlerTest {

    private final Fakes.Telemetry sink = new Fakes.Telemetry();

    @Test
    void aModuleWritesUnderItsOwnTopicThroughOneWriterClosedWithTheConnection() throws Exception {
        TelemetryHandler handler = new TelemetryHandler(Identity.module("d1", "m1"), new IotHubAcl(), sink);

        handler.publish("devices/d1/modules/m1/messages/events/", "1".getBytes());
        handler.publish("devices/d1/modules/m1/messages/events/%24.ct=application%2Fjson", "2".getBytes());
        handler.close();

        assertThat(sink.written).extracting(Fakes.Written::payload).containsExactly("1", "2");
        assertThat(sink.opened).isEqualTo(1);
        assertThat(sink.closed).isEqualTo(1);
    }

    @Test
    void whatTheIdentityMayNotSendIsRefusedSayingWhoItNames() {
        TelemetryHandler handler = new TelemetryHandler(Identity.module("d1", "m1"), new IotHubAcl(), sink);

        assertThatThrownBy(() -> handler.publish("devices/d1/modules/m2/messages/events/", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it names device 'd1' module 'm2', not the connected identity d1/m1");
        assertThatThrownBy(() -> handler.publish("devices/d2/messages/events/", new byte[0]))
                .hasMessage("it names device 'd2', not the connected identity d1/m1");
        assertThatThrownBy(() -> handler.publish("devices/d1/twin", new byte[0])).hasMessage(
                "not a telemetry topic");
        assertThat(sink.opened).isZero();
    }

    @Test
    void aGatewaysCompressedBatchIsWrittenAsTheOriginalMessagesEachOnItsOwnTopic() throws Exception {
        TelemetryHandler handler = new TelemetryHandler(Identity.module("d1", "m1"), new IotHubAcl(), sink);
        java.util.List<org.outpost.api.message.Message> originals = java.util.List.of(
                org.outpost.api.message.Message.builder().body("{\"t\":1}").messageId("a").contentType(
                        "application/json").connectionDeviceId("d1").connectionModuleId("m1").build(),
                org.outpost.api.message.Message.builder().body("{\"t\":2}").messageId("b").property("k", "v")
                        .connectionDeviceId("d1").connectionModuleId("m1").build());
        java.util.Map<String, String> bag = org.outpost.protocol.TelemetryPacking.gzipProperties(
                org.outpost.protocol.TelemetryPacking.batchProperties(org.outpost.protocol.PropertyBag.of(
                        originals.get(0)), 2));
        byte[] payload = org.outpost.protocol.TelemetryPacking.gzip(org.outpost.protocol.TelemetryPacking.batch(
                originals.stream().map(m -> new org.outpost.protocol.TelemetryPacking.Item(
                        org.outpost.protocol.PropertyBag.of(m), m.body())).toList()));

        handler.publish(new org.outpost.protocol.TelemetryTopic("d1", "m1", bag).format(), payload)
                .toCompletableFuture().get();

        assertThat(sink.written).extracting(Fakes.Written::topic).containsExactly(originals.stream().map(m ->
                new org.outpost.protocol.TelemetryTopic("d1", "m1", org.outpost.protocol.PropertyBag.of(m))
                        .format()).toArray(String[]::new));
        assertThat(sink.written).extracting(Fakes.Written::payload).containsExactly("{\"t\":1}", "{\"t\":2}");
        assertThatThrownBy(() -> handler.publish("devices/d1/modules/m1/messages/events/outpost-batch=2",
                "nope".getBytes())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }

    @Test
    void aConnectionThatSentNoTelemetryOpensNoWriter() {
        new TelemetryHandler(Identity.device("d1"), new IotHubAcl(), sink).close();

        assertThat(sink.opened).isZero();
        assertThat(sink.closed).isZero();
    }
}
