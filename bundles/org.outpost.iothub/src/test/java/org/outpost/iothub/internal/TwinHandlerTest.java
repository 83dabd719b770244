/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TwinDocument;

class TwinHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final Outbox out = new Outbox(channel.pipeline().firstContext(), "d1/m1");
    private final Fakes.Twins twins = new Fakes.Twins();
    private final TwinHandler handler = new TwinHandler(Identity.module("d1", "m1"), twins, out);

    @Test
    void aTwinGetIsAnsweredWithTheIdentitysTwin() {
        twins.twins.put("d1/m1", TwinDocument.empty().patchReported("{\"fw\": 1}",
                org.outpost.protocol.TwinLimits.IOT_HUB));
        out.granted(IotHubTopic.TWIN_RESPONSES, MqttQoS.AT_LEAST_ONCE);

        handler.get("7");

        MqttPublishMessage answer = channel.readOutbound();
        assertThat(answer.variableHeader().topicName()).isEqualTo("$iothub/twin/res/200/?$rid=7");
        assertThat(body(answer)).isEqualTo(twins.twins.get("d1/m1").toJson());
    }

    @Test
    void aReportedPatchIsAnsweredWithTheNewVersionOrRefusedWithTheReason() {
        out.granted(IotHubTopic.TWIN_RESPONSES, MqttQoS.AT_LEAST_ONCE);

        handler.patchReported("8", "{\"fw\": 2}".getBytes(StandardCharsets.UTF_8));
        handler.patchReported("9", "{\"bad\": 1}".getBytes(StandardCharsets.UTF_8));

        MqttPublishMessage accepted = channel.readOutbound();
        MqttPublishMessage refused = channel.readOutbound();
        assertThat(accepted.variableHeader().topicName()).isEqualTo("$iothub/twin/res/204/?$rid=8&$version="
                + twins.twins.get("d1/m1").reportedVersion());
        assertThat(body(accepted)).isEmpty();
        assertThat(refused.variableHeader().topicName()).isEqualTo("$iothub/twin/res/400/?$rid=9");
        assertThat(body(refused)).isEqualTo("{\"message\":\"reported.bad: is not allowed\"}");
    }

    @Test
    void nothingIsAnsweredWithoutASubscriptionAndAnUnknownTwinIsTheCallersError() {
        twins.twins.put("d1/m1", TwinDocument.empty());

        handler.get("1");
        handler.desiredPatch(3, "{\"a\": 1}");

        assertThat((Object) channel.readOutbound()).isNull();
        twins.twins.clear();
        assertThatThrownBy(() -> handler.get("2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDesiredPatchGoesOutWithItsVersion() {
        out.granted(IotHubTopic.DESIRED_PATCHES, MqttQoS.AT_MOST_ONCE);

        handler.desiredPatch(3, "{\"a\": 1, \"$version\": 3}");

        MqttPublishMessage patch = channel.readOutbound();
        assertThat(patch.variableHeader().topicName()).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=3");
        assertThat(body(patch)).isEqualTo("{\"a\": 1, \"$version\": 3}");
    }

    private static String body(MqttPublishMessage m) {
        return m.payload().toString(StandardCharsets.UTF_8);
    }
}
