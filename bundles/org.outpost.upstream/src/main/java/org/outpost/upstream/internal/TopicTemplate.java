/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.Map;

import org.outpost.api.message.Message;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryTopic;

/**
 * Expands a topic template for one message. Placeholders: {@code {deviceId}}, {@code {moduleId}},
 * {@code {outputName}} and {@code {properties}} (the message's IoT Hub property bag).
 */
final class TopicTemplate {

    /** The IoT Hub topic for module telemetry, the default. */
    static final String IOT_HUB_MODULE_EVENTS = "devices/{deviceId}/modules/{moduleId}/messages/events/{properties}";

    private TopicTemplate() {
    }

    static String expand(String template, String deviceId, Message m) {
        Map<String, String> bag = PropertyBag.of(m);
        String module = m.connectionModuleId() == null ? "unknown" : m.connectionModuleId();
        if (template.equals(IOT_HUB_MODULE_EVENTS)) {
            // The IoT Hub contract: the protocol codec writes it, as the hub reads it.
            return new TelemetryTopic(deviceId, module, bag).format();
        }
        return template.replace("{deviceId}", deviceId).replace("{moduleId}", module)
                .replace("{outputName}", m.outputName() == null ? "default" : m.outputName())
                .replace("{properties}", PropertyBag.encode(bag));
    }
}
