/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.outpost.api.message.Message;
import org.outpost.hub.routing.RoutedMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How the endpoints write a routed message as JSON: its system properties, and its body as JSON when it is JSON. */
final class MessageJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private MessageJson() {
    }

    /** The message's system properties that are set, with IoT Hub's names. */
    static Map<String, String> systemProperties(Message m) {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "messageId", m.messageId());
        put(p, "correlationId", m.correlationId());
        put(p, "contentType", m.contentType());
        put(p, "contentEncoding", m.contentEncoding());
        put(p, "connectionDeviceId", m.connectionDeviceId());
        put(p, "connectionModuleId", m.connectionModuleId());
        put(p, "outputName", m.outputName());
        put(p, "creationTimeUtc", m.creationTimeUtc() == null ? null : m.creationTimeUtc().toString());
        return p;
    }

    private static void put(Map<String, String> p, String name, String value) {
        if (value != null && !value.isEmpty()) {
            p.put(name, value);
        }
    }

    /**
     * The body as JSON, or null when it is not JSON: a content type other than JSON, a content encoding other than
     * UTF-8, or (with no content type) a body that is not a JSON object or array.
     */
    static JsonNode jsonBody(Message m) {
        String type = m.contentType() == null ? "" : m.contentType().toLowerCase(Locale.ROOT);
        String encoding = m.contentEncoding() == null ? "" : m.contentEncoding().toLowerCase(Locale.ROOT);
        boolean json = type.startsWith("application/json") || type.contains("+json");
        if (!type.isEmpty() && !json || !encoding.isEmpty() && !encoding.equals("utf-8") && !encoding.equals("utf8")
                || m.bodyLength() == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(m.body());
            return node == null || !json && !node.isContainerNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** One routed message as one JSON object: what the files endpoint writes as a line. */
    static ObjectNode toJson(RoutedMessage routed) {
        Message m = routed.message();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("sequence", routed.sequence());
        node.put("route", routed.route());
        node.put("enqueuedTime", routed.enqueuedTime().toString());
        node.put("deviceId", m.connectionDeviceId());
        node.put("moduleId", m.connectionModuleId());
        node.set("properties", MAPPER.valueToTree(m.properties()));
        node.set("systemProperties", MAPPER.valueToTree(systemProperties(m)));
        JsonNode body = jsonBody(m);
        if (body != null) {
            node.set("body", body);
        } else {
            node.put("bodyBase64", Base64.getEncoder().encodeToString(m.body()));
        }
        return node;
    }

    static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] line(RoutedMessage routed) {
        return (text(toJson(routed)) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
