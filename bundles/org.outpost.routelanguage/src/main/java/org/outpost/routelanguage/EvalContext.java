/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One evaluation: the message, its body parsed at most once, and the first operand that was undefined. */
final class EvalContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    final RouteMessage message;
    private JsonNode body;
    private boolean bodyRead;
    String firstUndefined;

    EvalContext(RouteMessage message) {
        this.message = message;
    }

    /** Records {@code text} as the reason for an undefined result, if none was recorded yet. */
    Object undefined(String text) {
        if (firstUndefined == null) {
            firstUndefined = text;
        }
        return Value.UNDEFINED;
    }

    /**
     * @return the body as JSON, or null when the message is not JSON: its content type must be
     *         {@code application/json} and its content encoding UTF-8, UTF-16 or UTF-32
     */
    JsonNode json() {
        if (!bodyRead) {
            bodyRead = true;
            body = message instanceof JsonBody cached ? cached.parsedJson() : parse(message);
        }
        return body;
    }

    /** @return the message's body as JSON, or null when the message is not JSON */
    static JsonNode parse(RouteMessage message) {
        Charset charset = jsonCharset(message.systemProperty("contentType"), message.systemProperty("contentEncoding"));
        if (charset == null) {
            return null;
        }
        try {
            return JSON.readTree(new String(message.body(), charset));
        } catch (IOException notJson) {
            return null;
        }
    }

    static Charset jsonCharset(String contentType, String contentEncoding) {
        if (contentType == null || contentEncoding == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            return null;
        }
        return switch (contentEncoding.trim().toLowerCase(Locale.ROOT).replace("-", "")) {
            case "utf8" -> StandardCharsets.UTF_8;
            case "utf16" -> StandardCharsets.UTF_16;
            case "utf32" -> Charset.forName("UTF-32");
            default -> null;
        };
    }

    /** @return a JSON leaf as a run-time value: objects, arrays and missing nodes are undefined */
    static Object value(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isContainerNode()) {
            return Value.UNDEFINED;
        }
        if (node.isNull()) {
            return Value.NULL;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return Value.UNDEFINED;
    }
}
