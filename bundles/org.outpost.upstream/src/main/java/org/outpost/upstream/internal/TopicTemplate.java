/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.outpost.api.message.Message;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryTopic;

/**
 * Expands a topic template for one message. Placeholders: {@code {deviceId}}, {@code {moduleId}},
 * {@code {outputName}} and {@code {properties}} (the message's IoT Hub property bag).
 * <p>
 * Each message goes out under its sender, not under this gateway: {@code {deviceId}} is the message's
 * {@code connectionDeviceId} (a leaf device below the gateway, a child gateway, or the gateway itself for its own
 * modules; the gateway when the message names no device), {@code {moduleId}} its {@code connectionModuleId}. A
 * device's own message (a leaf's telemetry) has no module: the IoT Hub template then gives the device topic
 * {@code devices/<device>/messages/events/<bag>}; in any template {@code modules/{moduleId}/} is left out for it, and
 * any other {@code {moduleId}} is empty. The bag's
 * {@code $.cdid} and {@code $.cmid} always say the same as the topic.
 */
final class TopicTemplate {

    /** The IoT Hub topic for module telemetry, the default. */
    static final String IOT_HUB_MODULE_EVENTS = "devices/{deviceId}/modules/{moduleId}/messages/events/{properties}";

    /** Left out of a template for a device's own message, which IoT Hub publishes without it. */
    static final String MODULE_SEGMENT = "modules/{moduleId}/";

    private TopicTemplate() {
    }

    /**
     * @param template the topic template
     * @param gatewayId this gateway's device id: the sender of a message that names no device
     * @param m the message
     * @return the topic to publish it on
     */
    static String expand(String template, String gatewayId, Message m) {
        return expand(template, gatewayId, m, UnaryOperator.identity());
    }

    /**
     * @param bagOf changes the message's property bag before it goes into the topic (a batch's or compressed
     *            publish's markers, see {@link org.outpost.protocol.TelemetryPacking})
     * @return the topic to publish it on
     */
    static String expand(String template, String gatewayId, Message m, UnaryOperator<Map<String, String>> bagOf) {
        String device = sender(gatewayId, m);
        String module = m.connectionModuleId();
        // The bag says who sent it, as the topic does (in IoT Hub's order): the hub or the parent reads either.
        Map<String, String> bag = bagOf.apply(PropertyBag.of(device.equals(m.connectionDeviceId()) ? m
                : m.toBuilder().connectionDeviceId(device).build()));
        if (template.equals(IOT_HUB_MODULE_EVENTS)) {
            // The IoT Hub contract: the protocol codec writes it, as the hub reads it (module or device topic).
            return new TelemetryTopic(device, module, bag).format();
        }
        String t = module == null ? template.replace(MODULE_SEGMENT, "") : template;
        return t.replace("{deviceId}", device).replace("{moduleId}", module == null ? "" : module)
                .replace("{outputName}", m.outputName() == null ? "default" : m.outputName())
                .replace("{properties}", PropertyBag.encode(bag));
    }

    /** @return the device a message is published under: its connectionDeviceId, or this gateway */
    static String sender(String gatewayId, Message m) {
        String d = m.connectionDeviceId();
        return d == null || d.isEmpty() ? gatewayId : d;
    }
}
