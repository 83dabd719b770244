/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * IoT Hub telemetry topics: {@code devices/{device}/messages/events/{bag}} for a device and
 * {@code devices/{device}/modules/{module}/messages/events/{bag}} for a module, where {@code bag} is a
 * {@link PropertyBag} (possibly empty).
 *
 * @param deviceId the device id
 * @param moduleId the module id, or null for device telemetry
 * @param properties the decoded property bag
 */
public record TelemetryTopic(String deviceId, String moduleId, Map<String, String> properties) {

    /** The MQTT filter that matches every telemetry topic. */
    public static final String FILTER_ALL = "devices/+/#";

    /** Keeps the property bag in the order given: system properties first, as IoT Hub writes them. */
    public TelemetryTopic {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    /**
     * @return the topic string
     */
    public String format() {
        String prefix = "devices/" + deviceId + "/" + (moduleId == null ? "" : "modules/" + moduleId + "/");
        return prefix + "messages/events/" + PropertyBag.encode(properties);
    }

    /**
     * @param topic an MQTT topic name
     * @return the telemetry topic it names, or empty if it is not a telemetry topic
     * @throws IllegalArgumentException if it is a telemetry topic with a malformed property bag
     */
    public static Optional<TelemetryTopic> parse(String topic) {
        String[] s = topic.split("/", -1);
        if (s.length >= 4 && s[0].equals("devices") && !s[1].isEmpty() && s[2].equals("messages")
                && s[3].equals("events")) {
            return Optional.of(new TelemetryTopic(s[1], null, PropertyBag.decode(rest(s, 4))));
        }
        if (s.length >= 6 && s[0].equals("devices") && !s[1].isEmpty() && s[2].equals("modules") && !s[3].isEmpty()
                && s[4].equals("messages") && s[5].equals("events")) {
            return Optional.of(new TelemetryTopic(s[1], s[3], PropertyBag.decode(rest(s, 6))));
        }
        return Optional.empty();
    }

    private static String rest(String[] segments, int from) {
        return segments.length > from ? String.join("/", java.util.Arrays.copyOfRange(segments, from, segments.length))
                : "";
    }
}
