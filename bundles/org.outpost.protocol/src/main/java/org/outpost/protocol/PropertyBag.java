/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.outpost.api.message.Message;

/**
 * The IoT Hub property bag: message properties as a URL-encoded {@code key=value&key=value} string, as carried in the
 * last segment of a telemetry topic. System properties use IoT Hub's short keys ({@code $.mid}, {@code $.cid},
 * {@code $.ct}, {@code $.ce}, {@code $.ctime}, {@code $.cdid}, {@code $.cmid}, {@code $.on}); every other key is an
 * application property.
 */
public final class PropertyBag {

    public static final String MESSAGE_ID = "$.mid";
    public static final String CORRELATION_ID = "$.cid";
    public static final String CONTENT_TYPE = "$.ct";
    public static final String CONTENT_ENCODING = "$.ce";
    public static final String CREATION_TIME = "$.ctime";
    public static final String CONNECTION_DEVICE_ID = "$.cdid";
    public static final String CONNECTION_MODULE_ID = "$.cmid";
    public static final String OUTPUT_NAME = "$.on";
    /** The destination of a cloud-to-device message, e.g. {@code /devices/d/modules/m/inputs/i} (Outpost's own use). */
    public static final String TO = "$.to";

    private PropertyBag() {
    }

    /**
     * @param properties keys and values, in order
     * @return them URL-encoded as {@code k=v&k=v} (empty for no properties)
     */
    public static String encode(Map<String, String> properties) {
        StringBuilder out = new StringBuilder();
        properties.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(component(k)).append('=').append(component(v));
        });
        return out.toString();
    }

    /**
     * URL-encodes one key or value as IoT Hub writes them: a space is {@code %20}, never {@code +}, which is an MQTT
     * wildcard that no topic name may contain (a broker refuses the whole message).
     */
    private static String component(String s) {
        if (unreserved(s)) {
            // What URLEncoder leaves as it is (most keys, ids and numbers): no copy, no encoder.
            return s;
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return whether every character of {@code s} is one URLEncoder keeps: a-z, A-Z, 0-9, '.', '-', '*', '_' */
    private static boolean unreserved(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '*' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** URL-decodes one key or value; one without '%' or '+' is itself. */
    private static String decodeComponent(String s) {
        return s.indexOf('%') < 0 && s.indexOf('+') < 0 ? s : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * @param bag a property bag
     * @return its keys and values, in order
     * @throws IllegalArgumentException if a pair has no key or is badly encoded
     */
    public static Map<String, String> decode(String bag) {
        Map<String, String> out = new LinkedHashMap<>();
        if (bag == null || bag.isEmpty()) {
            return out;
        }
        for (String pair : bag.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("property bag '" + bag + "' has a value without a key");
            }
            out.put(decodeComponent(key), decodeComponent(value));
        }
        return out;
    }

    /**
     * @param message a message
     * @return its system properties (short keys) followed by its application properties
     */
    public static Map<String, String> of(Message message) {
        Map<String, String> out = new LinkedHashMap<>();
        putIfSet(out, MESSAGE_ID, message.messageId());
        putIfSet(out, CORRELATION_ID, message.correlationId());
        putIfSet(out, CONTENT_TYPE, message.contentType());
        putIfSet(out, CONTENT_ENCODING, message.contentEncoding());
        putIfSet(out, CREATION_TIME, message.creationTimeUtc() == null ? null : message.creationTimeUtc().toString());
        putIfSet(out, CONNECTION_DEVICE_ID, message.connectionDeviceId());
        putIfSet(out, CONNECTION_MODULE_ID, message.connectionModuleId());
        putIfSet(out, OUTPUT_NAME, message.outputName());
        out.putAll(message.properties());
        return out;
    }

    /**
     * Applies a decoded property bag to a message builder: short system keys set system properties, the rest become
     * application properties.
     *
     * @throws IllegalArgumentException if {@code $.ctime} is not an ISO-8601 instant
     */
    public static Message.Builder apply(Map<String, String> properties, Message.Builder builder) {
        properties.forEach((k, v) -> {
            switch (k) {
                case MESSAGE_ID -> builder.messageId(v);
                case CORRELATION_ID -> builder.correlationId(v);
                case CONTENT_TYPE -> builder.contentType(v);
                case CONTENT_ENCODING -> builder.contentEncoding(v);
                case CREATION_TIME -> builder.creationTimeUtc(parseInstant(v));
                case CONNECTION_DEVICE_ID -> builder.connectionDeviceId(v);
                case CONNECTION_MODULE_ID -> builder.connectionModuleId(v);
                case OUTPUT_NAME -> builder.outputName(v);
                default -> builder.property(k, v);
            }
        });
        return builder;
    }

    private static Instant parseInstant(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("$.ctime '" + v + "' is not an ISO-8601 UTC time", e);
        }
    }

    private static void putIfSet(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
