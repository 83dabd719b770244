/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.outpost.api.message.Message;

/**
 * Message <-> exchange: the body as bytes, application properties as headers of the same names, system properties as
 * the {@link OutpostHeaders}.
 */
final class MessageMapping {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Headers (lower case) that never become application properties: credentials, which must not travel on with the
     * message, and HTTP's hop-by-hop and framing headers, which an http or paho endpoint leaves on the exchange.
     */
    static final Set<String> NOT_PROPERTIES = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie",
            "www-authenticate", "proxy-authenticate", "connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "host", "content-length");

    private MessageMapping() {
    }

    /** Fills the exchange's message from a module message. */
    static void toExchange(Message message, Exchange exchange) {
        org.apache.camel.Message in = exchange.getMessage();
        in.setBody(message.body());
        message.properties().forEach(in::setHeader);
        set(in, OutpostHeaders.MESSAGE_ID, message.messageId());
        set(in, OutpostHeaders.CORRELATION_ID, message.correlationId());
        set(in, OutpostHeaders.CONTENT_TYPE, message.contentType());
        set(in, OutpostHeaders.CONTENT_ENCODING, message.contentEncoding());
        set(in, OutpostHeaders.CONNECTION_DEVICE_ID, message.connectionDeviceId());
        set(in, OutpostHeaders.CONNECTION_MODULE_ID, message.connectionModuleId());
        set(in, OutpostHeaders.OUTPUT_NAME, message.outputName());
        if (message.creationTimeUtc() != null) {
            in.setHeader(OutpostHeaders.CREATION_TIME_UTC, message.creationTimeUtc().toString());
        }
    }

    private static void set(org.apache.camel.Message in, String header, String value) {
        if (value != null) {
            in.setHeader(header, value);
        }
    }

    /**
     * @return the module message of the exchange's message: its body as bytes (text as UTF-8; a map or list as JSON),
     *         its simple headers as application properties, the {@link OutpostHeaders} as system properties; a JSON
     *         text body without a content type header is {@code application/json}, {@code utf-8}
     * @throws InvalidPayloadException if the body cannot be turned into bytes
     */
    static Message fromExchange(Exchange exchange) throws InvalidPayloadException {
        org.apache.camel.Message in = exchange.getMessage();
        Object body = in.getBody();
        Message.Builder b = Message.builder();
        String contentType = in.getHeader(OutpostHeaders.CONTENT_TYPE, String.class);
        String contentEncoding = in.getHeader(OutpostHeaders.CONTENT_ENCODING, String.class);
        boolean json = false;
        if (body instanceof Map<?, ?> || body instanceof Collection<?>) {
            try {
                b.body(JSON.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new InvalidPayloadException(exchange, byte[].class, in, e);
            }
            json = true;
        } else if (body instanceof String text) {
            b.body(text.getBytes(StandardCharsets.UTF_8));
            json = contentType == null && looksLikeJson(text);
        } else if (body != null) {
            byte[] bytes = in.getMandatoryBody(byte[].class);
            b.body(bytes);
            json = contentType == null && looksLikeJson(new String(bytes, StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, Object> h : in.getHeaders().entrySet()) {
            String name = h.getKey();
            Object value = h.getValue();
            if (name == null || name.isEmpty() || OutpostHeaders.ALL.contains(name) || name.startsWith("Camel")
                    || name.startsWith("camel") || name.startsWith("org.apache.camel.")
                    || NOT_PROPERTIES.contains(name.toLowerCase(Locale.ROOT)) || value == null) {
                continue;
            }
            if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                    || value instanceof Character || value instanceof Enum<?>) {
                b.property(name, value.toString());
            }
        }
        if (contentType == null && json) {
            contentType = Message.CONTENT_TYPE_JSON;
            if (contentEncoding == null) {
                contentEncoding = "utf-8";
            }
        }
        b.contentType(contentType).contentEncoding(contentEncoding);
        b.messageId(in.getHeader(OutpostHeaders.MESSAGE_ID, String.class));
        b.correlationId(in.getHeader(OutpostHeaders.CORRELATION_ID, String.class));
        Object created = in.getHeader(OutpostHeaders.CREATION_TIME_UTC);
        if (created instanceof Instant instant) {
            b.creationTimeUtc(instant);
        } else if (created instanceof Date date) {
            b.creationTimeUtc(date.toInstant());
        } else if (created != null) {
            try {
                b.creationTimeUtc(Instant.parse(created.toString()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("header " + OutpostHeaders.CREATION_TIME_UTC + " is not an ISO-8601"
                        + " UTC time such as 2026-12-05T14:00:00Z: " + created, e);
            }
        }
        return b.build();
    }

    /** @return whether the text is a JSON object or array (what a route makes as JSON) */
    static boolean looksLikeJson(String text) {
        String t = text.strip();
        if (t.isEmpty() || !(t.startsWith("{") && t.endsWith("}") || t.startsWith("[") && t.endsWith("]"))) {
            return false;
        }
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(t)) {
            while (p.nextToken() != null) {
                // reads it all: throws if it is not JSON
            }
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** @return the body as a JSON value for a method's answer: JSON text as it is, other text quoted, null as null */
    static String toJsonAnswer(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return null;
        }
        try {
            if (body instanceof Map<?, ?> || body instanceof Collection<?> || body instanceof Number
                    || body instanceof Boolean) {
                return JSON.writeValueAsString(body);
            }
            String text = exchange.getMessage().getBody(String.class);
            if (text == null) {
                return null;
            }
            try {
                JSON.readTree(text);
                return text.isBlank() ? JSON.writeValueAsString(text) : text;
            } catch (JsonProcessingException notJson) {
                return JSON.writeValueAsString(text);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the method's answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
