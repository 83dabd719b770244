/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;

class PropertyBagTest {

    @Test
    void encodesAndDecodesReservedCharacters() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("$.ct", "application/json");
        props.put("a b", "x&y=z/é");
        props.put("empty", "");

        String bag = PropertyBag.encode(props);

        assertThat(bag).isEqualTo("%24.ct=application%2Fjson&a%20b=x%26y%3Dz%2F%C3%A9&empty=");
        assertThat(PropertyBag.decode(bag)).containsExactlyEntriesOf(props);
    }

    @Test
    void decodesEmptyAndKeyOnly() {
        assertThat(PropertyBag.decode("")).isEmpty();
        assertThat(PropertyBag.decode(null)).isEmpty();
        assertThat(PropertyBag.decode("flag&&k=v")).containsExactly(Map.entry("flag", ""), Map.entry("k", "v"));
    }

    @Test
    void rejectsValueWithoutKey() {
        assertThatThrownBy(() -> PropertyBag.decode("=v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("property bag '=v' has a value without a key");
    }

    @Test
    void messageRoundTrip() {
        Message m = Message.builder().json("{}").messageId("m1").correlationId("c1")
                .creationTimeUtc(Instant.parse("2026-11-26T10:00:00Z")).connectionDeviceId("gw")
                .connectionModuleId("sensor").outputName("temp").property("MessageType", "Alert").build();

        Map<String, String> bag = PropertyBag.decode(PropertyBag.encode(PropertyBag.of(m)));
        Message back = PropertyBag.apply(bag, Message.builder().json("{}")).build();

        assertThat(back).isEqualTo(m);
        assertThat(bag).containsEntry("$.on", "temp").containsEntry("MessageType", "Alert");
    }

    @Test
    void rejectsBadCreationTime() {
        assertThatThrownBy(() -> PropertyBag.apply(Map.of("$.ctime", "yesterday"), Message.builder()))
                .hasMessage("$.ctime 'yesterday' is not an ISO-8601 UTC time");
    }

    @Test
    void anEncodedBagHasNoMqttWildcardSoItIsAValidTopicName() {
        String bag = PropertyBag.encode(Map.of("site", "plant 1 + #2"));

        assertThat(bag).isEqualTo("site=plant%201%20%2B%20%232").doesNotContain("+", "#");
        assertThat(PropertyBag.decode(bag)).containsEntry("site", "plant 1 + #2");
    }

    @Test
    void plainKeysAndValuesComeOutAsURLEncoderWritesThemAndBackAsTheyWere() {
        java.util.Random random = new java.util.Random(18);
        String alphabet = "abcXYZ019.-*_ +%&=$:/\u00e9\u4e2d";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = b.toString();
            String expected = "k=" + java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
            java.util.Map<String, String> bag = new java.util.LinkedHashMap<>();
            bag.put("k", v);
            assertThat(PropertyBag.encode(bag)).isEqualTo(expected);
            assertThat(PropertyBag.decode(expected)).containsExactly(java.util.Map.entry("k", v));
        }
        assertThat(PropertyBag.decode("a+b=c+d")).containsExactly(java.util.Map.entry("a b", "c d"));
    }
}
