/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.outpost.camel.modules.deploy.Placeholders;
import org.outpost.manifest.ManifestException;

/**
 * Checks a route module's desired properties (its {@code modulesContent.<module>.properties.desired}) against its
 * routes' placeholders before anything changes: each placeholder's value has the type its default gives, and a
 * placeholder without a default has a value. Nested objects are read flattened with {@code .}
 * ({@code {"opcua": {"endpoint": ...}}} gives {@code {{opcua.endpoint}}}); properties no placeholder names are
 * left alone.
 */
final class DesiredCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DesiredCheck() {
    }

    /**
     * @param twinJson the module's desired properties as JSON text
     * @throws ManifestException (400) naming the JSON path of the first property that does not fit, and why
     */
    static void check(String module, Map<String, Placeholders.Placeholder> placeholders, String twinJson)
            throws ManifestException {
        String at = "modulesContent." + module + ".properties.desired";
        JsonNode desired;
        try {
            desired = JSON.readTree(twinJson);
        } catch (JsonProcessingException e) {
            throw new ManifestException(400, at, "not JSON: " + e.getOriginalMessage());
        }
        Map<String, JsonNode> flat = new LinkedHashMap<>();
        if (desired != null && desired.isObject()) {
            flatten(desired, "", flat);
        }
        for (Placeholders.Placeholder p : placeholders.values()) {
            JsonNode v = flat.get(p.name());
            String path = at + "." + p.name();
            if (v == null || v.isNull()) {
                if (p.required()) {
                    throw new ManifestException(400, path, "missing: the routes' placeholder {{" + p.name() + "}} has"
                            + " no default, so the module's desired properties must give it");
                }
                continue;
            }
            if (!fits(v, p.type())) {
                throw new ManifestException(400, path, "expected " + p.type().expected() + ", got " + shown(v)
                        + (p.defaultValue() == null ? "" : " (the routes' placeholder {{" + p.name() + ":"
                                + p.defaultValue() + "}} is " + p.type().expected() + " by its default)"));
            }
        }
    }

    private static boolean fits(JsonNode v, Placeholders.Type type) {
        if (v.isContainerNode()) {
            return false;
        }
        return switch (type) {
            case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
            case NUMBER -> v.isNumber();
            case BOOLEAN -> v.isBoolean();
            case STRING -> v.isTextual();
            case ANY -> v.isValueNode();
        };
    }

    private static String shown(JsonNode v) {
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "an object";
        }
        String text = v.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** Every member by its dotted path, objects too; the twin's {@code $} metadata left out. */
    private static void flatten(JsonNode object, String prefix, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (prefix.isEmpty() && e.getKey().startsWith("$")) {
                continue;
            }
            String key = prefix + e.getKey();
            out.putIfAbsent(key, e.getValue());
            if (e.getValue().isObject()) {
                flatten(e.getValue(), key + ".", out);
            }
        }
    }
}
