/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads routes in IoT Edge's {@code $edgeHub} shape and turns them into the routing configuration's keys. Accepted:
 * a whole deployment manifest ({@code modulesContent.$edgeHub...}), the {@code $edgeHub} section, its
 * {@code properties.desired}, or just {@code {"routes": ..., "storeAndForwardConfiguration": ...}}. A route is a
 * string or {@code {"route": ..., "priority": 0-9, "timeToLiveSecs": N}}.
 */
final class EdgeHubRoutes {

    private EdgeHubRoutes() {
    }

    /**
     * @return the {@code route.*} and {@code storeAndForward.timeToLiveSecs} configuration keys
     * @throws IllegalArgumentException naming the JSON path of what is wrong
     */
    static Map<String, String> toProperties(JsonNode root) {
        String path = "";
        JsonNode node = root;
        for (String step : new String[] {"modulesContent", "$edgeHub", "properties.desired"}) {
            if (node != null && node.has(step)) {
                node = node.get(step);
                path = path + step + ".";
            }
        }
        if (node == null || !node.isObject() || !node.has("routes")) {
            throw new IllegalArgumentException("expected an object with \"routes\" (or an IoT Edge manifest with"
                    + " modulesContent.$edgeHub.properties.desired.routes)");
        }
        JsonNode routes = node.get("routes");
        if (!routes.isObject()) {
            throw new IllegalArgumentException(path + "routes: must be an object of named routes");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = routes.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String at = path + "routes." + name;
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException(at + ": a route name is 1 to 64 letters, digits, '-' or '_'");
            }
            JsonNode r = e.getValue();
            if (r.isTextual()) {
                out.put(RouteTable.KEY_PREFIX + name, r.textValue());
            } else if (r.isObject() && r.path("route").isTextual()) {
                out.put(RouteTable.KEY_PREFIX + name, r.get("route").textValue());
                String key = RouteTable.KEY_PREFIX + name;
                integer(r, "priority", at).ifPresent(p -> out.put(key + RouteTable.PRIORITY, p));
                integer(r, "timeToLiveSecs", at).ifPresent(t -> out.put(key + RouteTable.TTL, t));
            } else {
                throw new IllegalArgumentException(at + ": a route is a string or {\"route\": ..., \"priority\": ...,"
                        + " \"timeToLiveSecs\": ...}");
            }
        }
        JsonNode ttl = node.path("storeAndForwardConfiguration").path("timeToLiveSecs");
        if (!ttl.isMissingNode()) {
            if (!ttl.canConvertToLong() || !ttl.isIntegralNumber()) {
                throw new IllegalArgumentException(path + "storeAndForwardConfiguration.timeToLiveSecs: must be a"
                        + " whole number of seconds");
            }
            out.put(RouteTable.DEFAULT_TTL, Long.toString(ttl.longValue()));
        }
        // Outpost's own store-and-forward settings, beside IoT Edge's timeToLiveSecs.
        JsonNode maxBytes = node.path("storeAndForwardConfiguration").path("maxBytesPerEndpoint");
        if (!maxBytes.isMissingNode()) {
            if (!maxBytes.isIntegralNumber()) {
                throw new IllegalArgumentException(path + "storeAndForwardConfiguration.maxBytesPerEndpoint: must be a"
                        + " whole number of bytes");
            }
            out.put(RouteTable.MAX_BYTES, Long.toString(maxBytes.longValue()));
        }
        JsonNode whenFull = node.path("storeAndForwardConfiguration").path("whenFull");
        if (!whenFull.isMissingNode()) {
            if (!whenFull.isTextual()) {
                throw new IllegalArgumentException(path + "storeAndForwardConfiguration.whenFull: must be \"reject\""
                        + " or \"drop-oldest\"");
            }
            out.put(RouteTable.WHEN_FULL, whenFull.textValue());
        }
        return out;
    }

    private static java.util.Optional<String> integer(JsonNode route, String field, String at) {
        JsonNode v = route.get(field);
        if (v == null || v.isNull()) {
            return java.util.Optional.empty();
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(at + "." + field + ": must be a whole number");
        }
        return java.util.Optional.of(Long.toString(v.longValue()));
    }
}
