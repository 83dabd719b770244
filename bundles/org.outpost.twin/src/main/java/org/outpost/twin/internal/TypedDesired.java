/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.configjson.JsonConfiguration;

/**
 * A module twin's desired properties as configuration properties, by {@link JsonConfiguration}: the twin's
 * {@code $} metadata left out, then checked against the module's Metatype definition when it has one (typed twins)
 * and converted to the types it declares. Without one, {@link JsonConfiguration#untypedValue the untyped rule}
 * applies, except that a non-empty array of only strings, only whole numbers or only numbers becomes a
 * {@code String[]}, {@code Long[]} or {@code Double[]} (as twins always had it; a deployment manifest gives such an
 * array as its JSON text).
 */
final class TypedDesired {

    private TypedDesired() {
    }

    /**
     * @param desired the desired properties ({@code $version} and other {@code $} members are left out)
     * @param ocd the module's configuration definition, or null if it has none
     * @param what names the definition in errors, e.g. {@code temperature-filter's configuration org.outpost.x}
     * @return the configuration properties
     * @throws IllegalArgumentException naming the first property that does not fit, and why
     */
    static Map<String, Object> toConfiguration(ObjectNode desired, ObjectClassDefinition ocd, String what) {
        ObjectNode properties = desired.deepCopy();
        List<String> metadata = new ArrayList<>();
        properties.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("$")) {
                metadata.add(k);
            }
        });
        properties.remove(metadata);
        if (ocd != null) {
            return JsonConfiguration.typed(properties, "desired", MetatypeSchema.of(ocd, what));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), schemaless(e.getValue()));
        }
        return out;
    }

    private static Object schemaless(JsonNode v) {
        if (v.isArray() && v.size() > 0) {
            boolean strings = true;
            boolean longs = true;
            boolean numbers = true;
            for (JsonNode item : v) {
                strings &= item.isTextual();
                longs &= item.isIntegralNumber();
                numbers &= item.isNumber();
            }
            if (strings) {
                return items(v).map(JsonNode::textValue).toArray(String[]::new);
            }
            if (longs) {
                return items(v).map(JsonNode::longValue).toArray(Long[]::new);
            }
            if (numbers) {
                return items(v).map(JsonNode::doubleValue).toArray(Double[]::new);
            }
        }
        return JsonConfiguration.untypedValue(v);
    }

    private static Stream<JsonNode> items(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
