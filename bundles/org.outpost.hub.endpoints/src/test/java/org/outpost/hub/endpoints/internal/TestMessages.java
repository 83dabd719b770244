/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import java.time.Instant;

import org.outpost.api.message.Message;
import org.outpost.hub.routing.RoutedMessage;

/** Routed messages for the tests. */
final class TestMessages {

    static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    private TestMessages() {
    }

    static RoutedMessage json(long sequence, String device, String json) {
        return new RoutedMessage("telemetry", sequence, T0.plusMillis(sequence), Message.builder().json(json)
                .connectionDeviceId(device).connectionModuleId("sensor").messageId("m" + sequence)
                .property("alert", sequence % 2 == 0 ? "yes" : "no").build());
    }

    static RoutedMessage bytes(long sequence, String device, byte[] body) {
        return new RoutedMessage("raw", sequence, T0.plusMillis(sequence), Message.builder().body(body)
                .contentType("application/octet-stream").connectionDeviceId(device).build());
    }
}
