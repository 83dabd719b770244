/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryTopicTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "devices/gw1/messages/events/|gw1||{}",
        "devices/gw1/messages/events/a=1|gw1||{a=1}",
        "devices/gw1/messages/events|gw1||{}",
        "devices/gw1/modules/sensor/messages/events/|gw1|sensor|{}",
        "devices/gw1/modules/sensor/messages/events/%24.on=temp&MessageType=Alert|gw1|sensor|{$.on=temp, MessageType=Alert}"
    })
    void parsesTelemetryTopics(String topic, String device, String module, String props) {
        TelemetryTopic t = TelemetryTopic.parse(topic).orElseThrow();

        assertThat(t.deviceId()).isEqualTo(device);
        assertThat(t.moduleId()).isEqualTo(module);
        assertThat(new java.util.TreeMap<>(t.properties()).toString())
                .isEqualTo(new java.util.TreeMap<>(parse(props)).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices", "devices//messages/events/", "devices/gw/twin/res", "other/gw/messages/events/",
        "devices/gw/modules//messages/events/"})
    void ignoresOtherTopics(String topic) {
        assertThat(TelemetryTopic.parse(topic)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void formatsWhatItParses() {
        TelemetryTopic t = new TelemetryTopic("gw", "sensor", Map.of("$.on", "temperatureOutput"));

        assertThat(t.format()).isEqualTo("devices/gw/modules/sensor/messages/events/%24.on=temperatureOutput");
        assertThat(TelemetryTopic.parse(t.format())).contains(t);
    }

    private static Map<String, String> parse(String s) {
        String body = s.substring(1, s.length() - 1);
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        if (!body.isEmpty()) {
            for (String kv : body.split(", ")) {
                String[] p = kv.split("=", 2);
                m.put(p[0], p[1]);
            }
        }
        return m;
    }
}
