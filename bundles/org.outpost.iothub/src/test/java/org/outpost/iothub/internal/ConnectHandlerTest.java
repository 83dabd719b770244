/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.protocol.AuthLimiter;

class ConnectHandlerTest {

    private final Fakes fakes = new Fakes();
    private final ConnectHandler handler = new ConnectHandler(fakes.services);
    /** The connection of the last CONNECT: a refusal closes it. */
    private EmbeddedChannel channel;

    /** @return what the CONNECT decided, on a connection of its own */
    private Optional<Identity> connect(MqttConnectMessage msg) {
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        return handler.connect(ctx, msg);
    }

    @Test
    void aDeviceAndAModuleWithGoodCredentialsAreLetInAsTheirClientIdsSay() {
        assertThat(connect(Fakes.connect("d1", Fakes.PASSWORD, 60))).contains(Identity.device("d1"));
        assertThat(connect(Fakes.connect("d1/m1", Fakes.PASSWORD, 60))).contains(Identity.module("d1",
                "m1"));
        assertThat(fakes.authenticator.asked).allSatisfy(c -> {
            assertThat(c.hostName()).isEqualTo("hub.example");
            assertThat(c.password()).contains(Fakes.PASSWORD);
            assertThat(c.certificate()).isEmpty();
        });
        assertThat((Object) channel.readOutbound()).as("the session acknowledges, not the check").isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anotherMqttVersionIsRefusedAsUnacceptable() {
        Optional<Identity> none = connect(MqttMessageBuilders.connect().clientId("d1").protocolVersion(
                MqttVersion.MQTT_3_1).password(Fakes.PASSWORD.getBytes()).build());

        assertThat(none).isEmpty();
        assertThat(refusal()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(fakes.authenticator.asked).isEmpty();
    }

    @Test
    void aClientIdThatNamesNoIdentityIsRejected() {
        for (String clientId : new String[] {"", "/m", "a/b/c"}) {
            assertThat(connect(Fakes.connect(clientId, Fakes.PASSWORD, 0))).as(clientId).isEmpty();
            assertThat(refusal()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
    }

    @Test
    void refusedCredentialsAreNotAuthorizedAndTooManyBlockTheAddressWithoutACheck() {
        for (int i = 0; i < 3; i++) {
            assertThat(connect(Fakes.connect("d1", "wrong", 0))).isEmpty();
            assertThat(refusal()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        assertThat(connect(Fakes.connect("d1", Fakes.PASSWORD, 0))).isEmpty();
        assertThat(refusal()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        assertThat(fakes.authenticator.asked).hasSize(3);
    }

    @Test
    void anIdentityOtherThanTheClientIdNamesIsRejectedEvenIfTheAuthenticatorLetsItIn() {
        Services lenient = new Services("hub.example", (claimed, credentials) -> Authentication.accepted(
                Identity.module("d1", "other")), fakes.services.acl(), fakes.telemetry, fakes.twins,
                fakes.cloudToDevice, fakes.inputs, IdentityRegistry.NONE, fakes.sessions, new AuthLimiter(3,
                        Duration.ofMinutes(1), Clock.systemUTC()));
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

        Optional<Identity> none = new ConnectHandler(lenient).connect(channel.pipeline().firstContext(),
                Fakes.connect("d1/m1", Fakes.PASSWORD, 0));

        assertThat(none).isEmpty();
        assertThat(refusal()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
    }

    @Test
    void anAuthenticatorThatCannotDecideRefusesAsServerUnavailableWithoutBlockingTheAddressAndLogsOnce() {
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        Services down = new Services("hub.example", (claimed, credentials) -> {
            throw new IllegalStateException("the hub database does not answer");
        }, fakes.services.acl(), fakes.telemetry, fakes.twins, fakes.cloudToDevice, fakes.inputs,
                IdentityRegistry.NONE, fakes.sessions, fakes.services.authLimiter(), new ThrottledWarning(
                        warnings::add, Duration.ofMinutes(1), System::nanoTime));

        for (int i = 0; i < 5; i++) {
            channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
            assertThat(new ConnectHandler(down).connect(channel.pipeline().firstContext(), Fakes.connect("d" + i,
                    Fakes.PASSWORD, 0))).isEmpty();
            assertThat(refusal()).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
            channel.runPendingTasks();
            assertThat(channel.isOpen()).isFalse();
        }

        // Five refusals, more than the limiter's three failures: the address is not blocked, the good client gets in.
        assertThat(connect(Fakes.connect("d1", Fakes.PASSWORD, 0))).contains(Identity.device("d1"));
        assertThat(warnings).singleElement().asString().contains("'server unavailable'")
                .contains("the hub database does not answer").contains("'d0'");
    }

    @Test
    void aRefusalClosesTheConnection() {
        connect(Fakes.connect("d1", "wrong", 0));

        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    private MqttConnectReturnCode refusal() {
        MqttConnAckMessage ack = channel.readOutbound();
        return ack.variableHeader().connectReturnCode();
    }
}
