/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.protocol.IotHubTopic;

class IdentityHandlerTest {

    private static final String BODY = "{\"generationId\":\"g1\",\"primaryKey\":\"k1\",\"secondaryKey\":\"k2\"}";

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Outbox out = new Outbox(channel.pipeline().firstContext(), "gw/$edgeAgent");
    private final Fakes.Identities registry = new Fakes.Identities();
    private final Identity agent = Identity.module("gw", "$edgeAgent");
    private final IdentityHandler handler = new IdentityHandler(agent, registry, out);

    @Test
    void aPutGoesToTheRegistryWithItsBodyAndItsAnswerComesBackWithTheRequestId() {
        out.granted(IotHubTopic.IDENTITY_RESPONSES, MqttQoS.AT_LEAST_ONCE);

        handler.request("$outpost/identities/modules/PUT/filter/?$rid=7", BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(registry.asked).containsExactly(new Fakes.Asked(agent, "PUT", "filter", BODY));
        MqttPublishMessage answer = channel.readOutbound();
        assertThat(answer.variableHeader().topicName()).isEqualTo("$outpost/identities/res/200/?$rid=7");
        assertThat(body(answer)).isEqualTo("{\"moduleId\":\"m\"}");
    }

    @Test
    void aDeleteGoesToTheRegistryAndItsRefusalIsAnswered() {
        out.granted(IotHubTopic.IDENTITY_RESPONSES, MqttQoS.AT_LEAST_ONCE);
        registry.answer = new IdentityRegistry.Answer(403, "{\"message\":\"no\"}");

        handler.request(new IotHubTopic.IdentityRequest(IotHubTopic.IdentityRequest.Method.DELETE, "filter", "8")
                .format(), new byte[0]);

        assertThat(registry.asked).containsExactly(new Fakes.Asked(agent, "DELETE", "filter", null));
        MqttPublishMessage answer = channel.readOutbound();
        assertThat(answer.variableHeader().topicName()).isEqualTo("$outpost/identities/res/403/?$rid=8");
        assertThat(body(answer)).isEqualTo("{\"message\":\"no\"}");
    }

    @Test
    void malformedRequestsAre400WithTheReasonAndNeverReachTheRegistry() {
        out.granted(IotHubTopic.IDENTITY_RESPONSES, MqttQoS.AT_LEAST_ONCE);

        handler.request("$outpost/identities/modules/GET/filter/?$rid=1", new byte[0]);
        handler.request("$outpost/identities/modules/PUT/filter/?$rid=2", new byte[0]);
        handler.request("$outpost/identities/res/200/?$rid=3", new byte[0]);

        assertThat(registry.asked).isEmpty();
        MqttPublishMessage badMethod = channel.readOutbound();
        MqttPublishMessage noBody = channel.readOutbound();
        MqttPublishMessage answerTopic = channel.readOutbound();
        assertThat(badMethod.variableHeader().topicName()).isEqualTo("$outpost/identities/res/400/?$rid=1");
        assertThat(body(badMethod)).isEqualTo("{\"message\":\"topic '$outpost/identities/modules/GET/filter/?$rid=1':"
                + " 'GET' is not an identity request method (PUT or DELETE)\"}");
        assertThat(noBody.variableHeader().topicName()).isEqualTo("$outpost/identities/res/400/?$rid=2");
        assertThat(body(noBody)).contains("a PUT of module identity 'filter' needs a JSON body");
        assertThat(answerTopic.variableHeader().topicName()).isEqualTo("$outpost/identities/res/400/?$rid=3");
        assertThat(body(answerTopic)).contains("is an answer, not a request");
    }

    @Test
    void aRequestWithoutARequestIdOrASubscriptionGetsNoAnswer() {
        handler.request("$outpost/identities/modules/PUT/filter", BODY.getBytes(StandardCharsets.UTF_8));
        handler.request("$outpost/identities/modules/PUT/filter/?$rid=1", BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(registry.asked).hasSize(1);
        assertThat((Object) channel.readOutbound()).isNull();
    }

    private static String body(MqttPublishMessage m) {
        return m.payload().toString(StandardCharsets.UTF_8);
    }
}
