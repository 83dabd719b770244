/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.outpost.api.message.Message;
import org.outpost.hub.routing.HubRouting;

/** The JSON of routing's endpoints, routes, dead letters and consumer groups. */
final class RoutingViews {

    private RoutingViews() {
    }

    static Map<String, Object> endpoint(HubRouting.Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("type", e.type());
        m.put("settings", e.settings());
        m.put("queued", e.queued());
        m.put("delivered", e.delivered());
        m.put("failed", e.failed());
        m.put("deadLetters", e.dead());
        m.put("lastError", e.lastError());
        m.put("lastErrorTime", e.lastErrorTime() == null ? null : e.lastErrorTime().toString());
        m.put("lastDeliveredTime", e.lastDeliveredTime() == null ? null : e.lastDeliveredTime().toString());
        m.put("lagMs", e.lagMs());
        m.put("node", e.node());
        return m;
    }

    static Map<String, Object> route(HubRouting.Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("source", r.source());
        m.put("condition", r.condition());
        m.put("endpoints", r.endpoints());
        m.put("enabled", r.enabled());
        return m;
    }

    static Map<String, Object> deadLetter(HubRouting.DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", d.sequence());
        m.put("route", d.route());
        m.put("enqueuedTime", d.enqueuedTime().toString());
        m.put("deadTime", d.deadTime().toString());
        m.put("attempts", d.attempts());
        m.put("reason", d.reason());
        Message msg = d.message();
        Map<String, Object> sys = new LinkedHashMap<>();
        put(sys, "messageId", msg.messageId());
        put(sys, "correlationId", msg.correlationId());
        put(sys, "contentType", msg.contentType());
        put(sys, "contentEncoding", msg.contentEncoding());
        put(sys, "connectionDeviceId", msg.connectionDeviceId());
        put(sys, "connectionModuleId", msg.connectionModuleId());
        m.put("systemProperties", sys);
        m.put("properties", msg.properties());
        m.put("body", Base64.getEncoder().encodeToString(msg.body()));
        return m;
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    static Map<String, Object> group(HubRouting.ConsumerGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("created", g.created().toString());
        m.put("waiting", g.waiting());
        m.put("topic", g.topic());
        m.put("username", "$events/" + g.name());
        return m;
    }

    /** @return the sample message of a condition test: a JSON body is sent as JSON (application/json, UTF-8) */
    static Message sample(JsonNode json) {
        Message.Builder b = Message.builder();
        JsonNode body = json.path("body");
        if (body.isTextual()) {
            b.body(body.asText().getBytes(StandardCharsets.UTF_8));
        } else if (!body.isMissingNode() && !body.isNull()) {
            b.json(body.toString()).contentEncoding("utf-8");
        }
        json.path("properties").fields().forEachRemaining(e -> b.property(e.getKey(), e.getValue().asText()));
        JsonNode s = json.path("systemProperties");
        if (s.hasNonNull("contentType")) {
            b.contentType(s.get("contentType").asText());
        }
        if (s.hasNonNull("contentEncoding")) {
            b.contentEncoding(s.get("contentEncoding").asText());
        }
        if (s.hasNonNull("connectionDeviceId")) {
            b.connectionDeviceId(s.get("connectionDeviceId").asText());
        }
        if (s.hasNonNull("connectionModuleId")) {
            b.connectionModuleId(s.get("connectionModuleId").asText());
        }
        if (s.hasNonNull("messageId")) {
            b.messageId(s.get("messageId").asText());
        }
        if (s.hasNonNull("correlationId")) {
            b.correlationId(s.get("correlationId").asText());
        }
        return b.build();
    }
}
