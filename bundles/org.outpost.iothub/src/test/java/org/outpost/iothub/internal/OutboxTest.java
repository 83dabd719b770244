/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Outbox out = new Outbox(channel.pipeline().firstContext(), "d1");

    @Test
    void aMessageGoesOutOnlyOnAGrantedFilterAtItsQos() {
        out.send("a/#", "a/1", "not yet");
        out.granted("a/#", MqttQoS.AT_MOST_ONCE);
        out.send("a/#", "a/2", "now");
        out.revoked("a/#");
        out.send("a/#", "a/3", "no more");

        MqttPublishMessage sent = channel.readOutbound();
        assertThat(sent.variableHeader().topicName()).isEqualTo("a/2");
        assertThat(sent.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
        assertThat(sent.payload().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("now");
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(out.subscribed("a/#")).isFalse();
    }

    @Test
    void atLeastOnceGoesOutWhateverTheSubscriptionWithTheGivenPacketId() {
        out.sendAtLeastOnce(42, "devices/d1/messages/devicebound/", new byte[] {1});

        MqttPublishMessage sent = channel.readOutbound();
        assertThat(sent.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        assertThat(sent.variableHeader().packetId()).isEqualTo(42);
    }

    @Test
    void packetIdsRunFromOneTo65535AndAroundAgain() {
        assertThat(out.nextPacketId()).isEqualTo(1);
        for (int i = 2; i < 65535; i++) {
            out.nextPacketId();
        }
        assertThat(out.nextPacketId()).isEqualTo(65535);
        assertThat(out.nextPacketId()).isEqualTo(1);
    }

    @Test
    void anIdWaitingForItsPubackIsNotGivenToAnyOtherPublishUntilReleased() {
        int waiting = out.reservePacketId();
        for (int i = 0; i < 65534; i++) {
            assertThat(out.nextPacketId()).as("twin publish %d", i).isNotEqualTo(waiting);
        }
        // Around again: the reserved id is skipped.
        assertThat(out.nextPacketId()).isEqualTo(waiting + 1);
        out.releasePacketId(waiting);
        for (int i = 0; i < 65533; i++) {
            out.nextPacketId();
        }
        assertThat(out.nextPacketId()).as("released, it is used again").isEqualTo(waiting);
    }

    @Test
    void twoReservationsNeverGetOneId() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(ids.add(out.reservePacketId())).isTrue();
            out.nextPacketId();
        }
    }
}
