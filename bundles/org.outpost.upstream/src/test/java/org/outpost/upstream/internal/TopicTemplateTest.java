/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.protocol.TelemetryTopic;

class TopicTemplateTest {

    private static final String GATEWAY = "gw-1";

    private final Message message = Message.builder().json("{\"t\": 21}").messageId("m-1")
            .connectionModuleId("sensor").outputName("temperature").property("alert", "no").build();

    @Test
    void theIotHubTopicIsWrittenByTheProtocolCodecWithSystemPropertiesFirst() {
        String topic = TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, GATEWAY, message);

        assertThat(topic).startsWith("devices/gw-1/modules/sensor/messages/events/%24.mid=m-1&");
        assertThat(topic).endsWith("alert=no");
        TelemetryTopic parsed = TelemetryTopic.parse(topic).orElseThrow();
        assertThat(parsed.moduleId()).isEqualTo("sensor");
        assertThat(parsed.properties()).containsEntry("$.on", "temperature").containsEntry("alert", "no")
                .containsEntry("$.cdid", GATEWAY).containsEntry("$.cmid", "sensor");
    }

    @Test
    void anotherBrokersTemplateGetsItsPlaceholdersFilledIn() {
        assertThat(TopicTemplate.expand("site/{deviceId}/{moduleId}/{outputName}", GATEWAY, message))
                .isEqualTo("site/gw-1/sensor/temperature");
    }

    static Stream<Arguments> senders() {
        return Stream.of(
                // sender's device, sender's module, IoT Hub topic (without the bag), custom template's topic
                Arguments.of(null, "sensor", "devices/gw-1/modules/sensor/", "site/gw-1/sensor/x"),
                Arguments.of(GATEWAY, "sensor", "devices/gw-1/modules/sensor/", "site/gw-1/sensor/x"),
                Arguments.of("leaf-7", null, "devices/leaf-7/", "site/leaf-7//x"),
                Arguments.of("gw-b", "filter", "devices/gw-b/modules/filter/", "site/gw-b/filter/x"),
                Arguments.of("leaf-under-b", null, "devices/leaf-under-b/", "site/leaf-under-b//x"),
                Arguments.of(null, null, "devices/gw-1/", "site/gw-1//x"));
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @MethodSource("senders")
    void eachMessageGoesOutUnderItsSenderAndItsBagSaysTheSame(String device, String module, String iotHubPrefix,
            String custom) {
        Message m = Message.builder().body("{}").messageId("m-2").connectionDeviceId(device)
                .connectionModuleId(module).outputName("x").build();

        String topic = TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, GATEWAY, m);

        assertThat(topic).startsWith(iotHubPrefix + "messages/events/");
        TelemetryTopic parsed = TelemetryTopic.parse(topic).orElseThrow();
        String sender = device == null ? GATEWAY : device;
        assertThat(parsed.deviceId()).isEqualTo(sender);
        assertThat(parsed.moduleId()).isEqualTo(module);
        assertThat(parsed.properties()).containsEntry("$.cdid", sender);
        if (module == null) {
            assertThat(parsed.properties()).doesNotContainKey("$.cmid");
        } else {
            assertThat(parsed.properties()).containsEntry("$.cmid", module);
        }
        assertThat(TopicTemplate.expand("site/{deviceId}/{moduleId}/{outputName}", GATEWAY, m)).isEqualTo(custom);
    }

    @Test
    void aDevicesOwnMessageLeavesTheModuleSegmentOutOfAnIotHubShapedTemplate() {
        Message leaf = Message.builder().body("{}").connectionDeviceId("leaf-7").build();

        assertThat(TopicTemplate.expand("devices/{deviceId}/modules/{moduleId}/messages/events/", GATEWAY, leaf))
                .isEqualTo("devices/leaf-7/messages/events/");
    }

    @Test
    void aSystemPropertyAddedForTheSenderStaysBeforeTheApplicationProperties() {
        Message leaf = Message.builder().body("{}").property("a", "1").build();

        String topic = TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, GATEWAY, leaf);

        assertThat(topic).startsWith("devices/gw-1/messages/events/%24.").endsWith("&%24.cdid=gw-1&a=1");
    }
}
