/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.lang.reflect.Array;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A route module's properties, which fill its routes' placeholders: the module's configuration (its desired
 * properties), flattened with {@code .} for nested objects ({@code {"opcua": {"endpoint": "x"}}} gives
 * {@code opcua.endpoint}), as text.
 */
public final class ModuleProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Configuration properties that are not the module's: set by Config Admin, DS and fileinstall. */
    private static final Set<String> NOT_PROPERTIES = Set.of("service.pid", "service.factoryPid", "component.name",
            "component.id", "service.bundleLocation", "felix.fileinstall.filename", "objectClass", "service.id",
            "service.scope", "service.bundleid");

    private ModuleProperties() {
    }

    /**
     * @param configuration the component's configuration properties
     * @return the module's properties by name: arrays as comma separated text, JSON objects flattened
     */
    public static Map<String, String> of(Map<String, ?> configuration) {
        Map<String, String> out = new LinkedHashMap<>();
        if (configuration == null) {
            return out;
        }
        for (Map.Entry<String, ?> e : configuration.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key == null || NOT_PROPERTIES.contains(key) || key.startsWith("$") || value == null) {
                continue;
            }
            put(out, key, value);
        }
        return out;
    }

    /**
     * @param desiredJson a twin's desired properties, a JSON object ({@code $} members are left out)
     * @return them flattened
     */
    public static Map<String, String> ofDesired(String desiredJson) {
        Map<String, String> out = new LinkedHashMap<>();
        if (desiredJson == null || desiredJson.isBlank()) {
            return out;
        }
        try {
            JsonNode node = JSON.readTree(desiredJson);
            if (node != null && node.isObject()) {
                flatten(out, "", node);
            }
        } catch (java.io.IOException e) {
            // not JSON: no properties from it
        }
        return out;
    }

    private static void put(Map<String, String> out, String key, Object value) {
        if (value.getClass().isArray()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(Array.get(value, i));
            }
            out.put(key, b.toString());
            return;
        }
        if (value instanceof Iterable<?> it) {
            StringBuilder b = new StringBuilder();
            for (Object o : it) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(o);
            }
            out.put(key, b.toString());
            return;
        }
        String text = value.toString();
        out.put(key, text);
        String t = text.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            try {
                JsonNode node = JSON.readTree(t);
                if (node != null && node.isObject()) {
                    flatten(out, key + ".", node);
                }
            } catch (java.io.IOException notJson) {
                // a text that looks like an object but is none: the text only
            }
        }
    }

    private static void flatten(Map<String, String> out, String prefix, JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().startsWith("$")) {
                continue;
            }
            String key = prefix + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                out.put(key, v.toString());
                flatten(out, key + ".", v);
            } else if (v.isArray()) {
                StringBuilder b = new StringBuilder();
                for (JsonNode item : v) {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(item.isValueNode() ? item.asText() : item.toString());
                }
                out.put(key, b.toString());
            } else if (!v.isNull()) {
                out.put(key, v.asText());
            }
        }
    }
}
