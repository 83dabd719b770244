/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;

class CloudToDeviceHandlerTest {

    /** The first system property of every cloud-to-device message, as IoT Hub sends it. */
    private static final String TO = "%24.to=%2Fdevices%2Fd1%2Fmessages%2FdeviceBound";

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Outbox out = new Outbox(channel.pipeline().firstContext(), "d1");
    private final Fakes.CloudToDevice source = new Fakes.CloudToDevice();
    private final CloudToDeviceHandler handler = new CloudToDeviceHandler(Identity.device("d1"), source,
            channel.pipeline().firstContext(), out);

    @Test
    void waitingMessagesGoOutInOrderAtQos1OnTheDevicesTopicOnceItSubscribes() {
        source.add(1, "one");
        source.add(2, "two");
        assertThat(sent()).isEmpty();

        handler.start();

        List<MqttPublishMessage> sent = sent();
        assertThat(sent).extracting(m -> m.variableHeader().topicName()).containsExactly(
                "devices/d1/messages/devicebound/" + TO + "&%24.mid=m1",
                "devices/d1/messages/devicebound/" + TO + "&%24.mid=m2");
        assertThat(sent).allSatisfy(m -> assertThat(m.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE));
        assertThat(handler.filter()).isEqualTo("devices/d1/messages/devicebound/#");
    }

    @Test
    void aMessageIsDeliveredOnlyWhenAcknowledgedAndAtMost16AreInFlight() {
        for (int i = 1; i <= 20; i++) {
            source.add(i, "m" + i);
        }
        handler.start();
        List<MqttPublishMessage> first = sent();

        handler.acknowledged(first.get(0).variableHeader().packetId());
        handler.acknowledged(9999);

        assertThat(first).hasSize(CloudToDeviceHandler.IN_FLIGHT);
        assertThat(source.delivered).containsExactly(1L);
        assertThat(sent()).extracting(m -> m.variableHeader().topicName()).containsExactly(
                "devices/d1/messages/devicebound/" + TO + "&%24.mid=m17");
    }

    @Test
    void aNewMessageGoesOutAsItArrivesUntilTheConnectionEnds() {
        handler.start();
        source.add(1, "one");
        assertThat(sent()).hasSize(1);

        handler.close();
        source.add(2, "two");

        assertThat(sent()).isEmpty();
        assertThat(source.arrivals).isEmpty();
    }

    private List<MqttPublishMessage> sent() {
        return Fakes.sent(channel).stream().map(MqttPublishMessage.class::cast).toList();
    }
}
