/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.deployments;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.manifest.LocationPolicy;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ManifestParser;
import org.outpost.routelanguage.RouteCompileException;
import org.outpost.routelanguage.RouteLanguage;

/**
 * What the hub can check of a deployment's content before any device sees it, with the gateway's own code (the
 * manifest reader and the route compiler are built into the hub bundle): module types and settings, names, restart
 * policies, and that every route compiles. Locations are checked for their form only: which schemes, directories and
 * Maven groups a gateway accepts is its own configuration, so a location it refuses shows as that device's failure.
 */
final class ContentCheck {

    /** Any scheme a gateway could allow, any directory, any group: the form is checked, not the policy. */
    private static final LocationPolicy ANY_LOCATION = new LocationPolicy(Set.of("mvn", "file", "https", "http"),
            List.of(Path.of("/").toAbsolutePath()), List.of());
    private static final String HUB = "content.modulesContent.$edgeHub";
    private static final String AGENT = "content.modulesContent.$edgeAgent";

    private ContentCheck() {
    }

    /** @throws DeploymentException naming the JSON path of the first problem */
    static void check(ObjectNode content, boolean layered) {
        if (!layered) {
            ObjectNode manifest = content.objectNode();
            manifest.set("modulesContent", content);
            try {
                new ManifestParser(ANY_LOCATION).parse(manifest.toString());
            } catch (ManifestException e) {
                throw new DeploymentException("content." + e.path(), e.reason());
            }
            routes(content.path("$edgeHub").path("properties.desired").path("routes"), HUB
                    + ".properties.desired.routes");
            return;
        }
        // A layer alone is not a manifest: its modules and routes are checked one by one.
        for (Iterator<Map.Entry<String, JsonNode>> it = content.path("$edgeAgent").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> s = it.next();
            String at = AGENT + "." + s.getKey();
            if (s.getKey().equals("properties.desired")) {
                s.getValue().path("modules").fields().forEachRemaining(m -> moduleType(m.getValue(), at + ".modules."
                        + m.getKey()));
            } else if (s.getKey().startsWith("properties.desired.modules.")
                    && s.getKey().split("\\.").length == 4) {
                moduleType(s.getValue(), at);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.path("$edgeHub").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> s = it.next();
            String at = HUB + "." + s.getKey();
            if (s.getKey().equals("properties.desired")) {
                routes(s.getValue().path("routes"), at + ".routes");
            } else if (s.getKey().equals("properties.desired.routes")) {
                routes(s.getValue(), at);
            } else if (s.getKey().startsWith("properties.desired.routes.") && s.getKey().split("\\.").length == 4) {
                route(s.getKey().substring("properties.desired.routes.".length()), s.getValue(), at);
            }
        }
    }

    private static void moduleType(JsonNode module, String at) {
        String type = module.path("type").asText(null);
        if (type == null) {
            throw new DeploymentException(at + ".type", "missing: one of " + types());
        }
        if (!Set.of("bundle", "feature", "container", "docker", "camel").contains(type)) {
            throw new DeploymentException(at + ".type", "unknown module type '" + type + "': one of " + types());
        }
    }

    private static String types() {
        return "bundle, feature, container, docker, camel";
    }

    private static void routes(JsonNode routes, String at) {
        if (routes.isMissingNode() || routes.isNull()) {
            return;
        }
        if (!routes.isObject()) {
            throw new DeploymentException(at, "must be an object of named routes");
        }
        routes.fields().forEachRemaining(r -> route(r.getKey(), r.getValue(), at + "." + r.getKey()));
    }

    private static void route(String name, JsonNode value, String at) {
        if (value.isNull()) {
            // A layer may delete a route.
            return;
        }
        JsonNode text = value.isObject() ? value.path("route") : value;
        if (!text.isTextual()) {
            throw new DeploymentException(at, "a route is a string, or {\"route\": \"FROM ... INTO ...\", \"priority\":"
                    + " n, \"timeToLiveSecs\": n}");
        }
        try {
            RouteLanguage.compileRoute(name, text.textValue());
        } catch (RouteCompileException e) {
            throw new DeploymentException(at, "column " + e.column() + ": " + e.reason());
        }
    }
}
