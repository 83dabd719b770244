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

    /** Maps whose every value is hidden: a webhook's headers, Kafka client properties (any may be a credential). */
    private static final java.util.Set<String> ALL_HIDDEN = java.util.Set.of("headers", "properties");
    private static final Pattern PASSWORD = Pattern.compile("(?i).*password\\s*[=:].*", Pattern.DOTALL);
    private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
    private static final Pattern QUERY = Pattern.compile("(?i)([a-z][a-z0-9+.-]*:[^\\s?]*)\\?[^\\s]*");
    private static final Pattern SECRET_PAIR = Pattern.compile("(?i)((?:password|secret|token|key|signature"
            + "|sig|credential)[a-z_-]*\\s*[=:]\\s*)[^\\s&;,]+");

    /**
     * @return the settings for showing: the values of secret-looking keys and of every entry under {@code headers}
     *         and {@code properties} replaced by ***, strings holding a password replaced whole, URLs without their
     *         user info and query (a query may carry a key)
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redacted(Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (SECRET.matcher(k).matches()) {
                out.put(k, "***");
            } else if (ALL_HIDDEN.contains(k) && v instanceof Map<?, ?> m) {
                Map<String, Object> hidden = new LinkedHashMap<>();
                m.keySet().forEach(x -> hidden.put(String.valueOf(x), "***"));
                out.put(k, hidden);
            } else {
                out.put(k, redactedValue(v));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object redactedValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return redacted((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Endpoints::redactedValue).toList();
        }
        if (v instanceof String s) {
            return PASSWORD.matcher(s).matches() ? "***" : shownText(s);
        }
        return v;
    }

    /** @return text for showing: URLs without user info and query, secret-looking {@code key=value} pairs hidden */
    static String shownText(String text) {
        if (text == null) {
            return null;
        }
        String s = USER_INFO.matcher(text).replaceAll("$1***@");
        s = QUERY.matcher(s).replaceAll("$1?***");
        return SECRET_PAIR.matcher(s).replaceAll("$1***");
    }

    static HubRouting.Endpoint view(RoutingQueues.State s, long now, long builtInQueued, long builtInDelivered) {
        boolean builtIn = s.name().equals(HubRouting.BUILT_IN);
        return new HubRouting.Endpoint(s.name(), s.type(), redacted(settings(s.settings())),
                builtIn ? builtInQueued : s.queued(), builtIn ? builtInDelivered : s.delivered(), s.failed(), s.dead(),
                shownText(s.lastError()), s.lastErrorMs() > 0 ? Instant.ofEpochMilli(s.lastErrorMs()) : null,
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
