/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.api.module.SendException;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.protocol.TelemetryTopic;

class RoutedTelemetryTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final Fakes.Router router = new Fakes.Router();
    private final RoutedTelemetry sink = new RoutedTelemetry(router, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Identity filter = Identity.module("gw1", "filter");

    private static TelemetryTopic topic(String module, String bag) {
        return TelemetryTopic.parse("devices/gw1/modules/" + module + "/messages/events/" + bag).orElseThrow();
    }

    @Test
    void aModulesMessageEntersTheRoutesFromItsOutputWithItsPropertiesKeptAndItsConnectionSetByTheGateway()
            throws Exception {
        TelemetryWriter writer = sink.open(filter);

        writer.write("t", topic("filter", "%24.on=alerts&%24.mid=m1&%24.cid=c1&%24.ct=application%2Fjson&%24.ce=utf-8"
                + "&%24.cdid=forged&%24.cmid=forged&%24.ctime=2024-12-31T23%3A00%3A00Z&level=high&a+b=c%2Fd"),
                "{\"t\":31}".getBytes());

        Message m = router.routed.get(0);
        assertThat(m.outputName()).isEqualTo("alerts");
        assertThat(m.connectionDeviceId()).isEqualTo("gw1");
        assertThat(m.connectionModuleId()).isEqualTo("filter");
        assertThat(m.messageId()).isEqualTo("m1");
        assertThat(m.correlationId()).isEqualTo("c1");
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.contentEncoding()).isEqualTo("utf-8");
        assertThat(m.creationTimeUtc()).isEqualTo(Instant.parse("2024-12-31T23:00:00Z"));
        assertThat(m.properties()).isEqualTo(Map.of("level", "high", "a b", "c/d"));
        assertThat(m.bodyAsString()).isEqualTo("{\"t\":31}");
    }

    @Test
    void withoutAnOutputNameTheMessageHasNoneAndGetsAnIdAndACreationTime() throws Exception {
        sink.open(filter).write("t", topic("filter", ""), "x".getBytes());

        Message m = router.routed.get(0);
        assertThat(m.outputName()).isNull();
        assertThat(m.messageId()).isNotBlank();
        assertThat(m.creationTimeUtc()).isEqualTo(NOW);
    }

    @Test
    void aMalformedOutputNameIsRefusedAsMalformedAndAMessageTheRouterDidNotStoreIsNotTaken() throws Exception {
        TelemetryWriter writer = sink.open(filter);

        assertThatThrownBy(() -> writer.write("t", topic("filter", "%24.on=a.b"), "x".getBytes())).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("output name ($.on)");
        router.failing = "endpoint $upstream is full";
        assertThatThrownBy(() -> writer.write("t", topic("filter", "%24.on=out"), "x".getBytes())).isInstanceOf(
                SendException.class).hasMessage("endpoint $upstream is full");
        assertThat(router.routed).isEmpty();
    }

    @Test
    void onlyModulesAndChildrenSendHere() {
        assertThatThrownBy(() -> sink.open(Identity.device("gw1"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("gw1 is neither a module nor a child; it does not send here");
    }

    @Test
    void aLeafDevicesMessageEntersAsADevicesWithoutAModuleWhateverItWrote() throws Exception {
        Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
        java.util.List<String> counted = new java.util.ArrayList<>();
        RoutedTelemetry counting = new RoutedTelemetry(router, Clock.fixed(NOW, ZoneOffset.UTC), (id, bytes) ->
                counted.add(id + " " + bytes));

        counting.open(leaf).write("t", TelemetryTopic.parse("devices/leaf/messages/events/%24.on=x&%24.cmid=forged"
                + "&%24.cdid=forged&k=v").orElseThrow(), "abc".getBytes());

        Message m = router.routed.get(0);
        assertThat(m.connectionDeviceId()).isEqualTo("leaf");
        assertThat(m.connectionModuleId()).isNull();
        assertThat(m.outputName()).isNull();
        assertThat(m.properties()).isEqualTo(Map.of("k", "v"));
        assertThat(counted).containsExactly("leaf 3");
    }

    @Test
    void aChildGatewaysDrainKeepsTheDeviceAndModuleOfEachTopic() throws Exception {
        TelemetryWriter drain = sink.open(new Identity(Identity.Kind.CHILD_GATEWAY, "gwB", null));

        drain.write("t", TelemetryTopic.parse("devices/gwB/modules/filter/messages/events/%24.on=alerts")
                .orElseThrow(), "1".getBytes());
        drain.write("t", TelemetryTopic.parse("devices/leafBelowB/messages/events/").orElseThrow(), "2".getBytes());

        assertThat(router.routed).extracting(Message::connectionDeviceId, Message::connectionModuleId,
                Message::outputName).containsExactly(org.assertj.core.groups.Tuple.tuple("gwB", "filter", "alerts"),
                        org.assertj.core.groups.Tuple.tuple("leafBelowB", null, null));
    }
}
