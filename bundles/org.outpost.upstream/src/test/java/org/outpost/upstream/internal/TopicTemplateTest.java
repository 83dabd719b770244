/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.protocol.TelemetryTopic;

class TopicTemplateTest {

    private final Message message = Message.builder().json("{\"t\": 21}").messageId("m-1")
            .connectionModuleId("sensor").outputName("temperature").property("alert", "no").build();

    @Test
    void theIotHubTopicIsWrittenByTheProtocolCodecWithSystemPropertiesFirst() {
        String topic = TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, "gw-1", message);

        assertThat(topic).startsWith("devices/gw-1/modules/sensor/messages/events/%24.mid=m-1&");
        assertThat(topic).endsWith("alert=no");
        TelemetryTopic parsed = TelemetryTopic.parse(topic).orElseThrow();
        assertThat(parsed.moduleId()).isEqualTo("sensor");
        assertThat(parsed.properties()).containsEntry("$.on", "temperature").containsEntry("alert", "no");
    }

    @Test
    void anotherBrokersTemplateGetsItsPlaceholdersFilledIn() {
        assertThat(TopicTemplate.expand("site/{deviceId}/{moduleId}/{outputName}", "gw-1", message))
                .isEqualTo("site/gw-1/sensor/temperature");
    }
}
