/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a {@code camel} module's settings: {@code routes} or {@code inline}, and {@code format}. */
final class CamelSettings {

    private static final Set<String> FIELDS = Set.of("routes", "inline", "format", "pid");

    private CamelSettings() {
    }

    /**
     * @param s the JSON path of the settings
     * @param hint what a camel module's settings look like, for errors
     */
    static CamelRoutes parse(JsonNode settings, String s, LocationPolicy locations, String hint)
            throws ManifestException {
        for (Iterator<String> it = settings.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new ManifestException(400, s + "." + field, "unknown setting of a camel module (use routes,"
                        + " inline, format, pid)");
            }
        }
        String format = ModuleParser.text(settings, "format", s);
        if (format != null && !CamelRoutes.FORMATS.contains(format)) {
            throw new ManifestException(400, s + ".format", "'" + format + "' is not a route format (yaml or xml)");
        }
        JsonNode routes = settings.get("routes");
        JsonNode inline = settings.get("inline");
        boolean hasRoutes = routes != null && !routes.isNull();
        boolean hasInline = inline != null && !inline.isNull();
        if (hasRoutes && hasInline) {
            throw new ManifestException(400, s, "give either routes (locations) or inline (the route text), not both");
        }
        if (!hasRoutes && !hasInline) {
            throw new ManifestException(400, s + ".routes", "missing: " + hint);
        }
        if (hasInline) {
            if (!inline.isTextual() || inline.textValue().isBlank()) {
                throw new ManifestException(400, s + ".inline", "must be the routes as text (Camel YAML DSL, or XML"
                        + " with \"format\": \"xml\")");
            }
            return new CamelRoutes(List.of(), inline.textValue(), format == null ? "yaml" : format);
        }
        List<String> out = new ArrayList<>();
        if (routes.isTextual()) {
            out.add(location(routes, s + ".routes", locations));
        } else if (routes.isArray() && !routes.isEmpty()) {
            for (int i = 0; i < routes.size(); i++) {
                out.add(location(routes.get(i), s + ".routes[" + i + "]", locations));
            }
        } else {
            throw new ManifestException(400, s + ".routes", "must be a location or a non-empty list of locations:"
                    + " \"file:/path/to/x.camel.yaml\", \"https://host/x.camel.xml\", \"mvn:group/artifact/1.0/yaml\"");
        }
        if (out.stream().distinct().count() < out.size()) {
            throw new ManifestException(400, s + ".routes", "names a location twice");
        }
        return new CamelRoutes(out, null, format == null ? "yaml" : format);
    }

    private static String location(JsonNode node, String at, LocationPolicy locations) throws ManifestException {
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw new ManifestException(400, at, "must be a location (file:, http(s): or mvn:)");
        }
        String why = locations.check(node.textValue()).orElse(null);
        if (why != null) {
            throw new ManifestException(400, at, why);
        }
        return node.textValue();
    }
}
