/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * Reads a message written as JSON for the route tester and {@code edge:explain}: {@code {"source": ..., "body": ... or
 * "bodyBase64": ..., "contentType": ..., "contentEncoding": ..., "appProperties": {...}, "systemProperties": {...}}}; a property value may be null
 * (present, with a null value).
 */
public final class MessageJson {

    private MessageJson() {
    }

    /**
     * @throws IllegalArgumentException saying which field is malformed
     */
    public static RouteMessage parse(JsonNode m) {
        if (!m.isObject()) {
            throw new IllegalArgumentException("\"message\" must be an object");
        }
        String contentType = text(m, "contentType");
        String contentEncoding = text(m, "contentEncoding");
        byte[] body;
        if (m.has("bodyBase64")) {
            try {
                body = Base64.getDecoder().decode(text(m, "bodyBase64"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"bodyBase64\" is not base64: " + e.getMessage());
            }
        } else {
            String text = m.has("body") ? text(m, "body") : "";
            body = text.getBytes(charset(contentEncoding));
        }
        Map<String, String> system = strings(m, "systemProperties");
        if (contentType != null) {
            system.put("contentType", contentType);
        }
        if (contentEncoding != null) {
            system.put("contentEncoding", contentEncoding);
        }
        String source = m.has("source") ? text(m, "source") : "/messages";
        return RouteMessage.of(source, body, strings(m, "appProperties"), system);
    }

    /** @return how edgeHub's sender encodes "body" text: .NET's UTF-16 and UTF-32 are little-endian, no BOM */
    private static Charset charset(String encoding) {
        Charset net = encoding == null ? null : BodyJson.charset(encoding);
        return net == null ? StandardCharsets.UTF_8 : net;
    }

    private static String text(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return v.textValue();
    }

    private static Map<String, String> strings(JsonNode m, String field) {
        Map<String, String> out = new HashMap<>();
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an object of strings");
        }
        var fields = v.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (e.getValue().isNull()) {
                out.put(e.getKey(), null);
            } else if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("\"" + field + "." + e.getKey() + "\" must be a string or null");
            } else {
                out.put(e.getKey(), e.getValue().textValue());
            }
        }
        return out;
    }
}
