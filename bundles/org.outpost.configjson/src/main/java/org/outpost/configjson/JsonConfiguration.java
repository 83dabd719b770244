/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

import java.lang.reflect.Array;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON object of desired properties as configuration properties.
 * <p>
 * <b>Typed</b>, with a {@link ConfigurationSchema}: every member must be an attribute of the schema, and its value
 * must fit the attribute's type, cardinality, options and validator; it becomes a value of the type's
 * {@link AttributeType#javaType() Java type} (an array of it for a list). {@code STRING} and {@code PASSWORD} take JSON
 * strings, {@code CHARACTER} a string of one character, {@code BOOLEAN} true or false, {@code LONG}, {@code INTEGER},
 * {@code SHORT} and {@code BYTE} whole numbers in their range, {@code DOUBLE} and {@code FLOAT} any number. The first
 * member that does not fit is refused with a {@link ConfigurationJsonException} naming its path and what was
 * expected; the conversion does not ask for required attributes ({@link ConfigurationSchema#missing} does).
 * <p>
 * <b>Untyped</b>, without a schema ({@link #untypedValue}): a string stays a {@code String}, a whole number becomes a
 * {@code Long}, any other number a {@code Double}, true and false a {@code Boolean}; a non-empty array of strings only,
 * of whole numbers only or of numbers only becomes a {@code String[]}, {@code Long[]} or {@code Double[]} (what a
 * component's list attribute reads); any other array and any object becomes its JSON text, and null the text
 * {@code "null"}. It refuses nothing. Deployment manifests and module twins use this one rule, so a setting has the
 * same type whichever way it reaches a module.
 * <p>
 * Every member is converted, {@code $}-prefixed ones too: leaving out metadata such as a twin's {@code $version} is
 * the caller's choice.
 */
public final class JsonConfiguration {

    private JsonConfiguration() {
    }

    /**
     * @param json the desired properties
     * @param path the JSON path of {@code json}, which errors start with (e.g. {@code desired}); empty for the root
     * @param schema the configuration's schema, or null for the untyped rule
     * @return the configuration properties, in the order of the members
     * @throws ConfigurationJsonException naming the first member that does not fit the schema, and why
     */
    public static Map<String, Object> toConfiguration(ObjectNode json, String path, ConfigurationSchema schema) {
        return schema == null ? untyped(json) : typed(json, path, schema);
    }

    /** @return the members of {@code json} by the untyped rule (see {@link #untypedValue}) */
    public static Map<String, Object> untyped(ObjectNode json) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), untypedValue(e.getValue()));
        }
        return out;
    }

    /**
     * The untyped rule: textual -> {@code String}, whole number -> {@code Long}, other number -> {@code Double},
     * boolean -> {@code Boolean}, a non-empty array of strings, whole numbers or numbers only -> {@code String[]},
     * {@code Long[]} or {@code Double[]}, any other container -> its JSON text, anything else (null) -> its text.
     */
    public static Object untypedValue(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isArray() && !v.isEmpty()) {
            Object array = scalarArray(v);
            if (array != null) {
                return array;
            }
        }
        if (v.isContainerNode()) {
            return v.toString();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.asText();
    }

    /** @return the array as {@code String[]}, {@code Long[]} or {@code Double[]}, or null if its items are mixed */
    private static Object scalarArray(JsonNode array) {
        boolean strings = true;
        boolean longs = true;
        boolean numbers = true;
        for (JsonNode item : array) {
            strings &= item.isTextual();
            longs &= item.isIntegralNumber();
            numbers &= item.isNumber();
        }
        if (strings) {
            return items(array).map(JsonNode::textValue).toArray(String[]::new);
        }
        if (longs) {
            return items(array).map(JsonNode::longValue).toArray(Long[]::new);
        }
        if (numbers) {
            return items(array).map(JsonNode::doubleValue).toArray(Double[]::new);
        }
        return null;
    }

    private static java.util.stream.Stream<JsonNode> items(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    /**
     * @param path the JSON path of {@code json}, which errors start with; empty for the root
     * @return the members of {@code json} typed by {@code schema}
     * @throws ConfigurationJsonException naming the first member that does not fit, and why
     */
    public static Map<String, Object> typed(ObjectNode json, String path, ConfigurationSchema schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String at = path == null || path.isEmpty() ? key : path + "." + key;
            AttributeSchema attribute = schema.attribute(key).orElseThrow(() -> new ConfigurationJsonException(at,
                    schema.name() + " has no property '" + key + "' (it has " + String.join(", ", schema.ids())
                            + ")"));
            out.put(key, typedValue(e.getValue(), attribute, at));
        }
        return out;
    }

    /**
     * @param at the JSON path of {@code value}, for errors
     * @return the value as the attribute takes it: one value of its type, or an array of them for a list
     * @throws ConfigurationJsonException if it does not fit
     */
    public static Object typedValue(JsonNode value, AttributeSchema attribute, String at) {
        AttributeType type = attribute.type();
        if (!attribute.isList()) {
            if (value.isArray()) {
                throw new ConfigurationJsonException(at, "takes one " + type.expected() + ", not a list");
            }
            return checked(scalar(value, type, at), attribute, at);
        }
        JsonNode[] items;
        if (value.isArray()) {
            items = new JsonNode[value.size()];
            for (int i = 0; i < items.length; i++) {
                items[i] = value.get(i);
            }
        } else {
            items = new JsonNode[] {value};
        }
        int max = attribute.maxValues();
        if (max != Integer.MAX_VALUE && items.length > max) {
            throw new ConfigurationJsonException(at, "takes at most " + max + " values, got " + items.length);
        }
        Object array = Array.newInstance(type.javaType(), items.length);
        for (int i = 0; i < items.length; i++) {
            String itemAt = at + "[" + i + "]";
            Array.set(array, i, checked(scalar(items[i], type, itemAt), attribute, itemAt));
        }
        return array;
    }

    /** Applies the attribute's options, then its own validator. */
    private static Object checked(Object value, AttributeSchema attribute, String at) {
        String text = String.valueOf(value);
        if (!attribute.options().isEmpty() && !attribute.options().contains(text)) {
            throw new ConfigurationJsonException(at, "'" + value + "' is not one of "
                    + String.join(", ", attribute.options()));
        }
        String problem = attribute.validator().problem(text);
        if (problem != null && !problem.isEmpty()) {
            throw new ConfigurationJsonException(at, "'" + value + "' " + problem);
        }
        return value;
    }

    private static Object scalar(JsonNode v, AttributeType type, String at) {
        switch (type) {
            case STRING, PASSWORD -> {
                if (v.isTextual()) {
                    return v.textValue();
                }
            }
            case CHARACTER -> {
                if (v.isTextual() && v.textValue().length() == 1) {
                    return v.textValue().charAt(0);
                }
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
            }
            case LONG -> {
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return v.longValue();
                }
            }
            case INTEGER -> {
                if (v.isIntegralNumber() && v.canConvertToInt()) {
                    return v.intValue();
                }
            }
            case SHORT -> {
                if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == (short) v.intValue()) {
                    return (short) v.intValue();
                }
            }
            case BYTE -> {
                if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == (byte) v.intValue()) {
                    return (byte) v.intValue();
                }
            }
            case DOUBLE -> {
                if (v.isNumber()) {
                    return v.doubleValue();
                }
            }
            case FLOAT -> {
                if (v.isNumber()) {
                    return v.floatValue();
                }
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
        throw new ConfigurationJsonException(at, v + " is not " + article(type.expected()));
    }

    private static String article(String expected) {
        return ("aeiou".indexOf(expected.charAt(0)) >= 0 ? "an " : "a ") + expected;
    }
}
