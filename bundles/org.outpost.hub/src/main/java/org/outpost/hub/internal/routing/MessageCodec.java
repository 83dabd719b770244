/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.api.message.Message;
import org.outpost.hub.routing.RoutedMessage;

/**
 * A message as the routing queue keeps it (properties as JSON, the body as Base64) and as the built-in endpoint and
 * webhooks carry it (one JSON object: {@link #envelope}).
 */
public final class MessageCodec {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private MessageCodec() {
    }

    /** @return the system and application properties as one JSON object: {@code {"system":{...},"properties":{...}}} */
    public static String properties(Message m) {
        // Streamed (no tree, no Map-to-tree conversion): this runs for every message routed to a queue.
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("system");
            write(g, system(m));
            g.writeFieldName("properties");
            write(g, m.properties());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a StringWriter
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Map<String, String> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** @return the system properties a message has, named as IoT Hub names them without {@code $} */
    public static Map<String, String> system(Message m) {
        Map<String, String> s = new LinkedHashMap<>();
        put(s, "messageId", m.messageId());
        put(s, "correlationId", m.correlationId());
        put(s, "contentType", m.contentType());
        put(s, "contentEncoding", m.contentEncoding());
        put(s, "connectionDeviceId", m.connectionDeviceId());
        put(s, "connectionModuleId", m.connectionModuleId());
        put(s, "outputName", m.outputName());
        put(s, "creationTimeUtc", m.creationTimeUtc() == null ? null : m.creationTimeUtc().toString());
        return s;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** @return the message the queue's columns describe */
    public static Message message(String properties, String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a routing queue row has unreadable properties: " + e.getMessage(), e);
        }
        Message.Builder b = Message.builder().body(Base64.getDecoder().decode(body));
        root.path("properties").fields().forEachRemaining(e -> b.property(e.getKey(), e.getValue().asText()));
        JsonNode s = root.path("system");
        b.messageId(text(s, "messageId")).correlationId(text(s, "correlationId"))
                .contentType(text(s, "contentType")).contentEncoding(text(s, "contentEncoding"))
                .connectionDeviceId(text(s, "connectionDeviceId")).connectionModuleId(text(s, "connectionModuleId"))
                .outputName(text(s, "outputName"));
        String created = text(s, "creationTimeUtc");
        if (created != null) {
            b.creationTimeUtc(Instant.parse(created));
        }
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String body(Message m) {
        return Base64.getEncoder().encodeToString(m.body());
    }

    /** @return whether the body is JSON text (content type application/json, UTF-8 or no encoding) that parses */
    static JsonNode jsonBody(Message m) {
        String type = m.contentType();
        String enc = m.contentEncoding();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")
                || (enc != null && !enc.equalsIgnoreCase("utf-8") && !enc.equalsIgnoreCase("utf8"))) {
            return null;
        }
        try {
            return MAPPER.readTree(new String(m.body(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * @return the message as one JSON object: {@code sequence}, {@code route}, {@code enqueuedTime},
     *         {@code systemProperties}, {@code properties}, and {@code body}: the JSON itself when the body is JSON,
     *         else Base64 text with {@code "bodyEncoding": "base64"}
     */
    public static ObjectNode envelope(RoutedMessage r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("sequence", r.sequence());
        o.put("route", r.route());
        o.put("enqueuedTime", r.enqueuedTime().toString());
        o.set("systemProperties", MAPPER.valueToTree(system(r.message())));
        o.set("properties", MAPPER.valueToTree(r.message().properties()));
        JsonNode json = jsonBody(r.message());
        if (json != null) {
            o.set("body", json);
        } else {
            o.put("body", Base64.getEncoder().encodeToString(r.message().body()));
            o.put("bodyEncoding", "base64");
        }
        return o;
    }

    /**
     * @return the {@link #envelope} of each message as JSON text, streamed (the same text as the tree's): one object,
     *         or (array) a JSON array of them
     */
    public static String envelopes(List<RoutedMessage> messages, boolean array) {
        StringWriter out = new StringWriter(256 * messages.size());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            if (array) {
                g.writeStartArray();
            }
            for (RoutedMessage r : messages) {
                envelope(g, r);
            }
            if (array) {
                g.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes one envelope (streamed: only a JSON body becomes a tree, to check that it parses). */
    private static void envelope(JsonGenerator g, RoutedMessage r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("sequence", r.sequence());
        g.writeStringField("route", r.route());
        g.writeStringField("enqueuedTime", r.enqueuedTime().toString());
        g.writeFieldName("systemProperties");
        write(g, system(r.message()));
        g.writeFieldName("properties");
        write(g, r.message().properties());
        JsonNode json = jsonBody(r.message());
        if (json != null) {
            g.writeFieldName("body");
            g.writeTree(json);
        } else {
            g.writeStringField("body", Base64.getEncoder().encodeToString(r.message().body()));
            g.writeStringField("bodyEncoding", "base64");
        }
        g.writeEndObject();
    }
}
