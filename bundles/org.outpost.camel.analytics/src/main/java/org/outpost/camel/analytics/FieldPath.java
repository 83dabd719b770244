/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A field of a JSON document by a simple path: names separated by dots ({@code machine.temperature}); a segment that is
 * a number indexes an array ({@code samples.0.value}). The empty path is the document itself.
 */
public final class FieldPath {

    private final String text;
    private final List<String> segments;

    private FieldPath(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * @param path names separated by dots, or empty for the whole document
     * @throws IllegalArgumentException if a segment is empty ({@code a..b}, {@code .a}), saying which
     */
    public static FieldPath parse(String path) {
        String p = path == null ? "" : path.strip();
        if (p.isEmpty()) {
            return new FieldPath("", List.of());
        }
        List<String> segments = List.of(p.split("\\.", -1));
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).isBlank()) {
                throw new IllegalArgumentException("Field path '" + p + "' has an empty segment at position " + (i + 1)
                        + ": write names separated by single dots, such as machine.temperature");
            }
        }
        return new FieldPath(p, segments);
    }

    /** @return the node at this path in {@code root}, or null if there is none (a missing or null field) */
    public JsonNode find(JsonNode root) {
        JsonNode node = root;
        for (String segment : segments) {
            if (node == null) {
                return null;
            }
            if (node.isArray() && isIndex(segment)) {
                node = node.get(Integer.parseInt(segment));
            } else if (node.isObject()) {
                node = node.get(segment);
            } else {
                return null;
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** @return the number at this path, or null if there is none or it is not a number (nor a numeric string) */
    public Double number(JsonNode root) {
        JsonNode node = find(root);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                double d = Double.parseDouble(node.textValue().strip());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    /** @return the text of the scalar at this path (a number as JSON writes it), or null if there is none */
    public String text(JsonNode root) {
        JsonNode node = find(root);
        return node == null || node.isContainerNode() ? null : node.asText();
    }

    /** @return whether this is the empty path (the whole document) */
    public boolean isEmpty() {
        return segments.isEmpty();
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.length() < 10 && segment.chars().allMatch(Character::isDigit);
    }

    @Override
    public String toString() {
        return text;
    }
}
