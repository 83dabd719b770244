/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A message body as edgeHub reads it for {@code $body} queries: only with content type {@code application/json} and
 * content encoding {@code utf-8}, {@code utf-16} or {@code utf-32} (any case; UTF-16 and UTF-32 little-endian, as
 * .NET's Encoding.Unicode and Encoding.UTF32, a byte-order mark never switches them), the top level a JSON object, read
 * as leniently as Newtonsoft.Json (comments, single quotes, unquoted names, NaN and Infinity, trailing commas).
 * Strings that Newtonsoft reads as dates are not values a route can use.
 */
final class BodyJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private BodyJson() {
    }

    /** @return the charset edgeHub decodes a body with, or null when it does not read the body */
    static Charset charset(String contentType, String contentEncoding) {
        if (contentType == null || contentEncoding == null || !contentType.equalsIgnoreCase("application/json")) {
            return null;
        }
        return charset(contentEncoding);
    }

    /** @return .NET's encoding for a contentEncoding edgeHub knows ({@code utf-8}, {@code utf-16}, {@code utf-32}) */
    static Charset charset(String contentEncoding) {
        return switch (contentEncoding.toLowerCase(Locale.ROOT)) {
            case "utf-8" -> StandardCharsets.UTF_8;
            case "utf-16" -> StandardCharsets.UTF_16LE;
            case "utf-32" -> Charset.forName("UTF-32LE");
            default -> null;
        };
    }

    /** @return the body as a JSON object, or null when edgeHub cannot read it (every query is then undefined) */
    static JsonNode parse(RouteMessage message) {
        Charset charset = charset(message.systemProperty("contentType"), message.systemProperty("contentEncoding"));
        if (charset == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(new String(message.body(), charset));
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /**
     * Newtonsoft's SelectTokens for the paths edgeHub lets through: {@code a.b[2].c}, further {@code [n]} or
     * {@code [*]}, {@code *} for every field.
     *
     * @param root the parsed body, or null when it is unreadable
     * @param path the path after {@code $body.}
     * @return the value: {@link QValue#MISSING} when nothing matches, undefined for objects, arrays, several matches,
     *         dates, an unreadable body or a path Newtonsoft refuses
     */
    static QValue select(JsonNode root, String path) {
        if (root == null) {
            return QValue.UNDEFINED;
        }
        List<Object> steps = JsonPaths.steps(path);
        if (steps == null) {
            return QValue.UNDEFINED;
        }
        List<JsonNode> current = List.of(root);
        for (Object step : steps) {
            List<JsonNode> found = new java.util.ArrayList<>();
            for (JsonNode n : current) {
                if (step instanceof Integer i) {
                    if (n.isArray() && i < n.size()) {
                        found.add(n.get(i));
                    }
                } else if (step == JsonPaths.ALL_ELEMENTS) {
                    if (n.isArray()) {
                        n.forEach(found::add);
                    }
                } else if (step == JsonPaths.ALL_FIELDS) {
                    if (n.isObject()) {
                        n.forEach(found::add);
                    }
                } else if (n.isObject() && n.has((String) step)) {
                    found.add(n.get((String) step));
                }
            }
            current = found;
        }
        if (current.isEmpty()) {
            return QValue.MISSING;
        }
        return current.size() > 1 ? QValue.UNDEFINED : leaf(current.get(0));
    }

    /** @return true when {@link #select} finds something, null when the body or path cannot be read */
    static Boolean includes(JsonNode root, String path) {
        QValue v = select(root, path);
        if (v == QValue.MISSING) {
            return false;
        }
        if (root == null || JsonPaths.steps(path) == null) {
            return null;
        }
        return true;
    }

    private static QValue leaf(JsonNode node) {
        if (node.isBoolean()) {
            return QValue.of(node.booleanValue());
        }
        if (node.isNumber()) {
            return QValue.of(node.doubleValue());
        }
        if (node.isTextual()) {
            return NewtonsoftDates.isDate(node.textValue()) ? QValue.UNDEFINED
                    : new QValue(QValue.Kind.STRING, node.textValue());
        }
        if (node.isNull()) {
            return QValue.nullValue();
        }
        return QValue.UNDEFINED;
    }
}
