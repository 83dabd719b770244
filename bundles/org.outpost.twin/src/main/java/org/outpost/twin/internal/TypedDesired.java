/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Desired properties as configuration properties: checked against the module's Metatype definition when it has one
 * (typed twins), converted to the types it declares; without one, JSON numbers become {@code Long} or {@code Double},
 * strings and booleans stay, arrays of scalars become arrays and objects their JSON text.
 */
final class TypedDesired {

    private TypedDesired() {
    }

    /**
     * @param desired the desired properties (without {@code $version})
     * @param ocd the module's configuration definition, or null if it has none
     * @param what names the definition in errors, e.g. {@code temperature-filter's configuration org.outpost.x}
     * @return the configuration properties
     * @throws IllegalArgumentException naming the first property that does not fit, and why
     */
    static Map<String, Object> toConfiguration(ObjectNode desired, ObjectClassDefinition ocd, String what) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        if (ocd != null) {
            AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
            for (AttributeDefinition ad : all == null ? new AttributeDefinition[0] : all) {
                attributes.put(ad.getID(), ad);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.startsWith("$")) {
                continue;
            }
            if (ocd == null) {
                out.put(key, untyped(e.getValue()));
                continue;
            }
            AttributeDefinition ad = attributes.get(key);
            if (ad == null) {
                throw new IllegalArgumentException("desired." + key + ": " + what + " has no property '" + key
                        + "' (it has " + String.join(", ", new TreeSet<>(attributes.keySet())) + ")");
            }
            out.put(key, typed(e.getValue(), ad, "desired." + key));
        }
        return out;
    }

    private static Object typed(JsonNode value, AttributeDefinition ad, String at) {
        if (ad.getCardinality() == 0) {
            if (value.isArray()) {
                throw new IllegalArgumentException(at + ": takes one " + typeName(ad.getType()) + ", not a list");
            }
            return checked(scalar(value, ad.getType(), at), ad, at);
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
        int max = Math.abs(ad.getCardinality());
        if (max != Integer.MAX_VALUE && items.length > max) {
            throw new IllegalArgumentException(at + ": takes at most " + max + " values, got " + items.length);
        }
        Object array = Array.newInstance(javaType(ad.getType()), items.length);
        for (int i = 0; i < items.length; i++) {
            Array.set(array, i, checked(scalar(items[i], ad.getType(), at + "[" + i + "]"), ad, at + "[" + i + "]"));
        }
        return array;
    }

    /** Applies the definition's options and its own validation (ranges, where the Metatype service has them). */
    private static Object checked(Object value, AttributeDefinition ad, String at) {
        String[] options = ad.getOptionValues();
        if (options != null && options.length > 0 && !Arrays.asList(options).contains(String.valueOf(value))) {
            throw new IllegalArgumentException(at + ": '" + value + "' is not one of " + String.join(", ", options));
        }
        String problem = ad.validate(String.valueOf(value));
        if (problem != null && !problem.isEmpty()) {
            throw new IllegalArgumentException(at + ": '" + value + "' " + problem);
        }
        return value;
    }

    private static Object scalar(JsonNode v, int type, String at) {
        switch (type) {
            case AttributeDefinition.STRING:
            case AttributeDefinition.PASSWORD:
                if (v.isTextual()) {
                    return v.textValue();
                }
                break;
            case AttributeDefinition.CHARACTER:
                if (v.isTextual() && v.textValue().length() == 1) {
                    return v.textValue().charAt(0);
                }
                break;
            case AttributeDefinition.BOOLEAN:
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
                break;
            case AttributeDefinition.LONG:
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    return v.longValue();
                }
                break;
            case AttributeDefinition.INTEGER:
                if (v.isIntegralNumber() && v.canConvertToInt()) {
                    return v.intValue();
                }
                break;
            case AttributeDefinition.SHORT:
                if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == (short) v.intValue()) {
                    return (short) v.intValue();
                }
                break;
            case AttributeDefinition.BYTE:
                if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == (byte) v.intValue()) {
                    return (byte) v.intValue();
                }
                break;
            case AttributeDefinition.DOUBLE:
                if (v.isNumber()) {
                    return v.doubleValue();
                }
                break;
            case AttributeDefinition.FLOAT:
                if (v.isNumber()) {
                    return v.floatValue();
                }
                break;
            default:
                return v.isTextual() ? v.textValue() : v.toString();
        }
        throw new IllegalArgumentException(at + ": " + v + " is not " + article(typeName(type)));
    }

    private static String article(String type) {
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    private static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.STRING, AttributeDefinition.PASSWORD -> "string";
            case AttributeDefinition.CHARACTER -> "single character";
            case AttributeDefinition.BOOLEAN -> "boolean";
            case AttributeDefinition.LONG, AttributeDefinition.INTEGER -> "integer";
            case AttributeDefinition.SHORT -> "integer from -32768 to 32767";
            case AttributeDefinition.BYTE -> "integer from -128 to 127";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "number";
            default -> "value";
        };
    }

    private static Class<?> javaType(int type) {
        return switch (type) {
            case AttributeDefinition.CHARACTER -> Character.class;
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.BYTE -> Byte.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            default -> String.class;
        };
    }

    private static Object untyped(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
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
                return stream(v).map(JsonNode::textValue).toArray(String[]::new);
            }
            if (longs) {
                return stream(v).map(JsonNode::longValue).toArray(Long[]::new);
            }
            if (numbers) {
                return stream(v).map(JsonNode::doubleValue).toArray(Double[]::new);
            }
        }
        return v.toString();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
