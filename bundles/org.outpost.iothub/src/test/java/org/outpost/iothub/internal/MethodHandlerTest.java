/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.IotHubTopic;

class MethodHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Outbox out = new Outbox(channel.pipeline().firstContext(), "d1");
    private final MethodHandler methods = new MethodHandler(Identity.device("d1"), out);

    @Test
    void aCallGoesOutWithARequestIdAndCompletesWithTheAnswer() {
        out.granted(IotHubTopic.METHOD_CALLS, MqttQoS.AT_LEAST_ONCE);

        CompletableFuture<MethodResult> call = methods.invoke("reboot", "{\"delay\": 1}", Duration.ofSeconds(30));
        MqttPublishMessage sent = channel.readOutbound();
        IotHubTopic.MethodCall request = (IotHubTopic.MethodCall) IotHubTopic.parse(sent.variableHeader()
                .topicName()).orElseThrow();
        methods.answered(new IotHubTopic.MethodResponse(201, request.rid()), "{\"ok\": 1}".getBytes());

        assertThat(request.method()).isEqualTo("reboot");
        assertThat(sent.payload().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"delay\": 1}");
        assertThat(call).isCompletedWithValue(new MethodResult(201, "{\"ok\": 1}"));
    }

    @Test
    void anEmptyAnswerIsJsonNullAndALateOneIsIgnored() {
        out.granted(IotHubTopic.METHOD_CALLS, MqttQoS.AT_LEAST_ONCE);
        CompletableFuture<MethodResult> call = methods.invoke("ping", "null", Duration.ofSeconds(30));

        methods.answered(new IotHubTopic.MethodResponse(200, "1"), new byte[0]);
        methods.answered(new IotHubTopic.MethodResponse(500, "1"), new byte[0]);

        assertThat(call).isCompletedWithValue(new MethodResult(200, "null"));
    }

    @Test
    void aClientThatTakesNoCallsGets404AtOnce() {
        assertThat(methods.invoke("reboot", "{}", Duration.ofSeconds(30))).isCompletedWithValue(MethodResult.error(
                404, "d1 is connected but not subscribed to $iothub/methods/POST/#"));
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aSilentClientGets504AfterTheTimeout() {
        out.granted(IotHubTopic.METHOD_CALLS, MqttQoS.AT_LEAST_ONCE);

        CompletableFuture<MethodResult> call = methods.invoke("reboot", "{}", Duration.ofMillis(50));

        await().atMost(Duration.ofSeconds(5)).until(call::isDone);
        assertThat(call).isCompletedWithValue(MethodResult.error(504, "d1 did not answer reboot within 0 s"));
    }

    @Test
    void callsWaitingWhenTheConnectionEndsGet404() {
        out.granted(IotHubTopic.METHOD_CALLS, MqttQoS.AT_LEAST_ONCE);
        CompletableFuture<MethodResult> call = methods.invoke("reboot", "{}", Duration.ofSeconds(30));

        methods.close();

        assertThat(call).isCompletedWithValue(MethodResult.error(404, "d1 disconnected before it answered"));
    }
}
