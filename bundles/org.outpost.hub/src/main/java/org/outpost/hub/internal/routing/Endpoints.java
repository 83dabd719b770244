/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import org.outpost.hub.routing.HubRouting;

/** Endpoint settings as JSON, their views (secrets hidden), and route checks. */
final class Endpoints {

    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|key|authorization"
            + "|signature|credential).*");

    private Endpoints() {
    }

    static Map<String, Object> settings(String json) {
        try {
            return MessageCodec.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an endpoint's settings in the database are not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    static String json(Map<String, Object> settings) {
        try {
            return MessageCodec.MAPPER.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("settings: not JSON values: " + e.getOriginalMessage(), e);
        }
    }

    /** @return the settings with the values of secret-looking keys (and of their nested maps) replaced by *** */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redacted(Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (SECRET.matcher(k).matches()) {
                out.put(k, "***");
            } else if (v instanceof Map<?, ?> m) {
                out.put(k, redacted((Map<String, Object>) m));
            } else if (v instanceof String s && s.matches("(?i)https?://[^/]*:[^/@]*@.*")) {
                out.put(k, s.replaceFirst("://[^/@]*@", "://***@"));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    static HubRouting.Endpoint view(RoutingQueues.State s, long now, long builtInQueued, long builtInDelivered) {
        boolean builtIn = s.name().equals(HubRouting.BUILT_IN);
        return new HubRouting.Endpoint(s.name(), s.type(), redacted(settings(s.settings())),
                builtIn ? builtInQueued : s.queued(), builtIn ? builtInDelivered : s.delivered(), s.failed(), s.dead(),
                s.lastError(), s.lastErrorMs() > 0 ? Instant.ofEpochMilli(s.lastErrorMs()) : null,
                s.lastDeliveredMs() > 0 ? Instant.ofEpochMilli(s.lastDeliveredMs()) : null,
                s.queued() > 0 && s.oldestMs() > 0 ? Math.max(0, now - s.oldestMs()) : 0,
                s.leaseNode() != null && s.leaseUntilMs() >= now ? s.leaseNode() : null);
    }

    /** @return the route with its source's IoT Hub spelling; refused with what is wrong */
    static HubRouting.Route checked(HubRouting.Route r, List<String> endpoints) {
        if (r.name() == null || !(HubRouter.NAME.matcher(r.name()).matches() || r.name().equals(
                HubRouting.FALLBACK))) {
            throw new IllegalArgumentException("a route's name is 1 to 64 letters, digits, '-' or '_', not '"
                    + r.name() + "'");
        }
        String source = r.source() == null ? "DeviceMessages" : HubRouting.SOURCES.stream().filter(x -> x
                .equalsIgnoreCase(r.source())).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "source: '" + r.source() + "' is not one of " + HubRouting.SOURCES));
        if (!source.equals("DeviceMessages")) {
            throw new IllegalArgumentException("source: only DeviceMessages is routed by this hub so far ('"
                    + source + "' is not)");
        }
        String condition = r.condition() == null || r.condition().isBlank() ? "true" : r.condition().strip();
        RouteTable.compile(condition);
        List<String> eps = r.endpoints() == null ? List.of() : r.endpoints();
        if (eps.isEmpty()) {
            throw new IllegalArgumentException("endpoints: a route sends to at least one endpoint (e.g."
                    + " [\"events\"])");
        }
        List<String> unknown = new ArrayList<>();
        for (String e : eps) {
            if (!endpoints.contains(e)) {
                unknown.add(e);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("endpoints: no endpoint " + unknown + " (create it with PUT"
                    + " /api/routing/endpoints/{name} first); there are " + endpoints);
        }
        if (r.name().equals(HubRouting.FALLBACK) && (!condition.equals("true") || !eps.equals(List.of(
                HubRouting.BUILT_IN)))) {
            throw new IllegalArgumentException("the fallback route sends everything to 'events': only \"enabled\""
                    + " can change");
        }
        return new HubRouting.Route(r.name(), source, condition, List.copyOf(eps), r.enabled());
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
