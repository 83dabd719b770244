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

class InputHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Outbox out = new Outbox(channel.pipeline().firstContext(), "d1/filter");
    private final Fakes.Inputs source = new Fakes.Inputs();
    private final InputHandler handler = new InputHandler(Identity.module("d1", "filter"), source,
            channel.pipeline().firstContext(), out);

    @Test
    void waitingMessagesGoOutInOrderAtQos1OnTheirInputsTopicOnceTheModuleSubscribes() {
        source.add(1, "in1", "one");
        source.add(2, "in2", "two");
        assertThat(sent()).isEmpty();

        handler.start();

        List<MqttPublishMessage> sent = sent();
        assertThat(sent).extracting(m -> m.variableHeader().topicName()).containsExactly(
                "devices/d1/modules/filter/inputs/in1/%24.mid=m1", "devices/d1/modules/filter/inputs/in2/%24.mid=m2");
        assertThat(sent).allSatisfy(m -> assertThat(m.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE));
        assertThat(handler.filter()).isEqualTo("devices/d1/modules/filter/inputs/#");
    }

    @Test
    void aMessageIsDeliveredOnlyWhenAcknowledgedAndAtMostInFlightWaitForTheirAcknowledgement() {
        for (int i = 1; i <= InputHandler.IN_FLIGHT + 4; i++) {
            source.add(i, "in", "m" + i);
        }
        handler.start();
        List<MqttPublishMessage> first = sent();

        assertThat(handler.acknowledged(first.get(0).variableHeader().packetId())).isTrue();
        assertThat(handler.acknowledged(9999)).as("not an input message's packet").isFalse();

        assertThat(first).hasSize(InputHandler.IN_FLIGHT);
        assertThat(source.delivered).containsExactly(1L);
        assertThat(sent()).extracting(m -> m.variableHeader().topicName()).containsExactly(
                "devices/d1/modules/filter/inputs/in/%24.mid=m" + (InputHandler.IN_FLIGHT + 1));
    }

    @Test
    void aNewMessageGoesOutAsItArrivesUntilTheConnectionEndsAndTheUnacknowledgedStayWithTheSource() {
        handler.start();
        source.add(1, "in", "one");
        assertThat(sent()).hasSize(1);

        handler.close();
        source.add(2, "in", "two");

        assertThat(sent()).isEmpty();
        assertThat(source.arrivals).isEmpty();
        assertThat(source.delivered).isEmpty();
        assertThat(source.waiting).hasSize(2);
    }

    @Test
    void anIdentityThatIsNotAModuleHasNoInputs() {
        InputHandler device = new InputHandler(Identity.device("d1"), source, channel.pipeline().firstContext(), out);
        source.add(1, "in", "one");

        device.start();

        assertThat(device.filter()).isNull();
        assertThat(sent()).isEmpty();
        assertThat(source.arrivals).isEmpty();
    }

    private List<MqttPublishMessage> sent() {
        return Fakes.sent(channel).stream().map(MqttPublishMessage.class::cast).toList();
    }
}
