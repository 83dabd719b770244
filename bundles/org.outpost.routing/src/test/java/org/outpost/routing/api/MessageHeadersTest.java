/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;

class MessageHeadersTest {

    @Test
    void roundTripsEveryProperty() {
        Message m = Message.builder().json("{\"t\":1}").messageId("m").correlationId("c")
                .creationTimeUtc(Instant.parse("2026-01-01T00:00:00Z")).connectionModuleId("sensor")
                .connectionDeviceId("gw").outputName("out").property("not a java-identifier", "v").build();

        Map<String, String> headers = MessageHeaders.of(m);

        assertThat(headers.keySet()).allMatch(k -> k.matches("[a-z_]+"));
        assertThat(MessageHeaders.toMessage(m.body(), headers::get)).isEqualTo(m);
    }

    @Test
    void leavesUnsetPropertiesOut() {
        assertThat(MessageHeaders.of(Message.builder().body(new byte[] {1}).build())).isEmpty();
    }
}
