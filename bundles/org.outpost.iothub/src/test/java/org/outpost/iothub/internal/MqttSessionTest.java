/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TwinDocument;

class MqttSessionTest {

    private final Fakes fakes = new Fakes();

    @Test
    void aConnectedIdentityIsAcknowledgedRegisteredAndWatchedForItsKeepAlive() {
        EmbeddedChannel ch = fakes.channel();

        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 20));

        MqttConnAckMessage ack = ch.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(fakes.sessions.session(Identity.device("d1"))).isPresent();
        assertThat(fakes.connections.events).containsExactly("+d1");
        assertThat(ch.pipeline().get(IdleStateHandler.class).getReaderIdleTimeInMillis()).isEqualTo(30_000);
    }

    @Test
    void aKeepAliveOfZeroIsWatchedWithTheServersLongestSilence() {
        EmbeddedChannel ch = fakes.channel();

        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 0));

        assertThat(ch.pipeline().get(IdleStateHandler.class).getReaderIdleTimeInMillis()).isEqualTo(
                Fakes.MAX_IDLE.toMillis());
    }

    @Test
    void aKeepAliveLongerThanTheServerAllowsIsCappedToItsLongestSilence() {
        EmbeddedChannel ch = fakes.channel();

        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 1767));

        assertThat(ch.pipeline().get(IdleStateHandler.class).getReaderIdleTimeInMillis()).isEqualTo(
                Fakes.MAX_IDLE.toMillis());
    }

    @Test
    void anythingButConnectBeforeConnectClosesTheConnection() {
        EmbeddedChannel ch = fakes.channel();

        ch.writeInbound(Fakes.subscribe(1, IotHubTopic.TWIN_RESPONSES));

        assertThat(ch.isOpen()).isFalse();
        assertThat(fakes.connections.events).isEmpty();
    }

    @Test
    void aSecondConnectOnOneConnectionClosesIt() {
        EmbeddedChannel ch = fakes.connected("d1");

        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 0));

        assertThat(ch.isOpen()).isFalse();
        assertThat(fakes.connections.events).containsExactly("+d1", "-d1");
    }

    @Test
    void subscriptionsAreGrantedAsTheAclSaysAndAModuleGetsNoCloudToDeviceMessages() {
        EmbeddedChannel ch = fakes.connected("d1/m1");

        ch.writeInbound(Fakes.subscribe(7, IotHubTopic.TWIN_RESPONSES, IotHubTopic.CloudToDevice.filter("d1"),
                "devices/d2/#"));

        MqttSubAckMessage ack = ch.readOutbound();
        assertThat(ack.variableHeader().messageId()).isEqualTo(7);
        assertThat(ack.payload().grantedQoSLevels()).containsExactly(1, 0x80, 0x80);
    }

    @Test
    void subscribingToItsMessagesStartsTheirDeliveryAfterTheSuback() {
        fakes.cloudToDevice.add(1, "hello");
        EmbeddedChannel ch = fakes.connected("d1");

        ch.writeInbound(Fakes.subscribe(2, IotHubTopic.CloudToDevice.filter("d1")));

        List<MqttMessage> sent = Fakes.sent(ch);
        assertThat(sent).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.SUBACK,
                MqttMessageType.PUBLISH);
    }

    @Test
    void aDeviceBehindAGatewayGetsItsMessagesWithoutSubscribingAsTheAzureSdksExpectThroughAGateway() {
        fakes.authenticator.children.add("leaf");
        fakes.cloudToDevice.add(1, "hello");
        EmbeddedChannel ch = fakes.connected("leaf");

        List<MqttMessage> sent = Fakes.sent(ch);
        assertThat(sent).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBLISH);
        assertThat(((io.netty.handler.codec.mqtt.MqttPublishMessage) sent.get(0)).variableHeader().topicName())
                .startsWith("devices/leaf/messages/devicebound/");
    }

    @Test
    void aDeviceOfTheHubGetsNoMessagesBeforeItSubscribes() {
        fakes.cloudToDevice.add(1, "hello");
        EmbeddedChannel ch = fakes.connected("d1");

        assertThat(Fakes.sent(ch)).isEmpty();
    }

    @Test
    void aModuleSubscribingToItsOwnInputsGetsTheirMessagesAndItsPubackDeliversThem() {
        fakes.inputs.add(1, "in1", "hello");
        EmbeddedChannel ch = fakes.connected("d1/m1");

        ch.writeInbound(Fakes.subscribe(2, "devices/d1/modules/m2/inputs/#", "devices/d1/modules/m1/inputs/#"));
        List<MqttMessage> sent = Fakes.sent(ch);
        MqttPublishMessage input = (MqttPublishMessage) sent.get(1);
        ch.writeInbound(MqttMessageBuilders.pubAck().packetId(input.variableHeader().packetId()).build());

        assertThat(((MqttSubAckMessage) sent.get(0)).payload().grantedQoSLevels()).as("another module's inputs")
                .containsExactly(0x80, 1);
        assertThat(input.variableHeader().topicName()).isEqualTo("devices/d1/modules/m1/inputs/in1/%24.mid=m1");
        assertThat(fakes.inputs.delivered).containsExactly(1L);
    }

    @Test
    void aModulePublishingAsAnotherModuleOrWithAMalformedBagIsDroppedAndKeepsItsConnection() {
        EmbeddedChannel ch = fakes.connected("d1/m1");

        ch.writeInbound(Fakes.publish(5, "devices/d1/modules/m2/messages/events/", "x"));
        ch.writeInbound(Fakes.publish(6, "devices/d1/messages/events/", "x"));
        ch.writeInbound(Fakes.publish(7, "devices/d1/modules/m1/messages/events/=nokey", "x"));
        ch.writeInbound(Fakes.publish(8, "devices/d1/modules/m1/messages/events/a=1", "ok"));

        assertThat(fakes.telemetry.written).extracting(Fakes.Written::payload).containsExactly("ok");
        assertThat(Fakes.sent(ch)).extracting(m -> m.fixedHeader().messageType()).containsOnly(
                MqttMessageType.PUBACK).hasSize(4);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aMalformedPacketClosesOnlyItsOwnConnection() {
        EmbeddedChannel bad = fakes.connected("d1/m1");
        EmbeddedChannel good = fakes.connected("d1/m2");
        MqttMessage malformed = MqttMessageBuilders.pubAck().packetId(1).build();
        MqttMessage invalid = new MqttMessage(malformed.fixedHeader(), malformed.variableHeader(), null,
                io.netty.handler.codec.DecoderResult.failure(new io.netty.handler.codec.TooLongFrameException(
                        "too large message: 300000 bytes")));

        bad.writeInbound(invalid);
        good.writeInbound(Fakes.publish(8, "devices/d1/modules/m2/messages/events/", "ok"));

        assertThat(bad.isOpen()).isFalse();
        assertThat(good.isOpen()).isTrue();
        assertThat(fakes.telemetry.written).extracting(Fakes.Written::payload).containsExactly("ok");
    }

    @Test
    void publishedTelemetryIsWrittenBeforeItsPuback() {
        EmbeddedChannel ch = fakes.connected("d1");

        ch.writeInbound(Fakes.publish(5, "devices/d1/messages/events/a=1", "21.5"));

        assertThat(fakes.telemetry.written).containsExactly(new Fakes.Written(Identity.device("d1"),
                "devices/d1/messages/events/a=1", "21.5"));
        MqttMessage ack = ch.readOutbound();
        assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        assertThat(((MqttMessageIdVariableHeader) ack.variableHeader()).messageId()).isEqualTo(5);
    }

    @Test
    void telemetryOfAnotherIdentityAndUnknownTopicsAreDroppedButAcknowledged() {
        EmbeddedChannel ch = fakes.connected("d1");

        ch.writeInbound(Fakes.publish(5, "devices/d2/messages/events/", "x"));
        ch.writeInbound(Fakes.publish(6, "somewhere/else", "x"));

        assertThat(fakes.telemetry.written).isEmpty();
        assertThat(Fakes.sent(ch)).extracting(m -> m.fixedHeader().messageType()).containsExactly(
                MqttMessageType.PUBACK, MqttMessageType.PUBACK);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void telemetryStoredOutOfOrderIsAcknowledgedInTheOrderItWasSent() {
        EmbeddedChannel ch = fakes.connected("d1");
        fakes.telemetry.holding = true;
        for (int id = 1; id <= 3; id++) {
            ch.writeInbound(Fakes.publish(id, "devices/d1/messages/events/", "m" + id));
        }
        assertThat(fakes.telemetry.written).hasSize(3);
        Fakes.sent(ch);

        fakes.telemetry.held.get(2).complete(null);
        fakes.telemetry.held.get(1).complete(null);
        assertThat(Fakes.sent(ch)).as("nothing before the first is stored").isEmpty();

        fakes.telemetry.held.get(0).complete(null);
        assertThat(Fakes.sent(ch)).extracting(m -> ((io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader) m
                .variableHeader()).messageId()).containsExactly(1, 2, 3);
    }

    @Test
    void telemetryNotTakenClosesTheConnectionAndNothingAfterItIsAcknowledged() {
        EmbeddedChannel ch = fakes.connected("d1");
        fakes.telemetry.holding = true;
        for (int id = 1; id <= 3; id++) {
            ch.writeInbound(Fakes.publish(id, "devices/d1/messages/events/", "m" + id));
        }
        Fakes.sent(ch);

        fakes.telemetry.held.get(0).complete(null);
        fakes.telemetry.held.get(2).complete(null);
        fakes.telemetry.held.get(1).completeExceptionally(new java.io.IOException("the journal is full"));

        assertThat(Fakes.sent(ch)).extracting(m -> ((io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader) m
                .variableHeader()).messageId()).containsExactly(1);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void telemetryTheSinkDoesNotTakeClosesTheConnectionWithoutAPuback() {
        EmbeddedChannel ch = fakes.connected("d1");
        fakes.telemetry.failing = true;

        ch.writeInbound(Fakes.publish(5, "devices/d1/messages/events/", "x"));

        assertThat(Fakes.sent(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(fakes.telemetry.closed).isEqualTo(1);
    }

    @Test
    void aPingIsAnsweredAndADisconnectEndsTheSession() {
        EmbeddedChannel ch = fakes.connected("d1");

        ch.writeInbound(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE,
                false, 0)));
        MqttMessage pong = ch.readOutbound();
        ch.writeInbound(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE,
                false, 0)));

        assertThat(pong.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
        assertThat(ch.isOpen()).isFalse();
        assertThat(fakes.sessions.session(Identity.device("d1"))).isEmpty();
        assertThat(fakes.connections.events).containsExactly("+d1", "-d1");
    }

    @Test
    void aSecondConnectionOfAnIdentityClosesItsFirst() {
        EmbeddedChannel first = fakes.connected("d1");
        EmbeddedChannel second = fakes.connected("d1");

        first.runPendingTasks();
        assertThat(first.isOpen()).isFalse();
        assertThat(second.isOpen()).isTrue();
        assertThat(fakes.connections.events).containsExactly("+d1");
    }

    @Test
    void twinRequestsAndMethodAnswersGoToTheirHandlers() throws Exception {
        fakes.twins.twins.put("d1", TwinDocument.empty());
        EmbeddedChannel ch = fakes.connected("d1");
        ch.writeInbound(Fakes.subscribe(1, IotHubTopic.TWIN_RESPONSES, IotHubTopic.METHOD_CALLS));
        Fakes.sent(ch);
        MqttSession session = fakes.sessions.session(Identity.device("d1")).orElseThrow();

        ch.writeInbound(Fakes.publish(2, new IotHubTopic.TwinGet("r1").format(), ""));
        CompletableFuture<MethodResult> call = session.invoke("reboot", "{}", Duration.ofSeconds(30));
        List<String> topics = Fakes.publishedTopics(ch);
        ch.writeInbound(Fakes.publish(3, new IotHubTopic.MethodResponse(200, "1").format(), "{\"ok\":true}"));

        assertThat(topics).containsExactly("$iothub/twin/res/200/?$rid=r1", "$iothub/methods/POST/reboot/?$rid=1");
        assertThat(call).isCompletedWithValue(new MethodResult(200, "{\"ok\":true}"));
    }

    @Test
    void identityRequestsGoToTheRegistryAndAreAnsweredBeforeTheirPuback() {
        EmbeddedChannel ch = fakes.connected("gw/$edgeAgent");
        ch.writeInbound(Fakes.subscribe(1, IotHubTopic.IDENTITY_RESPONSES));
        Fakes.sent(ch);

        ch.writeInbound(Fakes.publish(2, "$outpost/identities/modules/PUT/filter/?$rid=r1", "{}"));

        assertThat(fakes.identities.asked).containsExactly(new Fakes.Asked(Identity.module("gw", "$edgeAgent"), "PUT",
                "filter", "{}"));
        List<MqttMessage> sent = Fakes.sent(ch);
        assertThat(sent).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBLISH,
                MqttMessageType.PUBACK);
        assertThat(((io.netty.handler.codec.mqtt.MqttPublishMessage) sent.get(0)).variableHeader().topicName())
                .isEqualTo("$outpost/identities/res/200/?$rid=r1");
    }
}
