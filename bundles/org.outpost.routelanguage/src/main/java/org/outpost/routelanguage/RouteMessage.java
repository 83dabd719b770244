/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.outpost.api.message.Message;

/**
 * What a route sees of a message: its source path, body, content type and encoding, application properties and
 * system properties. Property names match case-insensitively.
 */
public interface RouteMessage {

    /** @return the source path, e.g. {@code /messages/modules/sensor/outputs/temperature} */
    String source();

    /** @return the body */
    byte[] body();

    /** @return the application property, or null (when absent, or present with a null value) */
    String applicationProperty(String name);

    /** @return true if the message has the application property, even with a null value */
    default boolean hasApplicationProperty(String name) {
        return applicationProperty(name) != null;
    }

    /** @return true if the message has the system property (named without {@code $}), even with a null value */
    default boolean hasSystemProperty(String name) {
        return systemProperty(name) != null;
    }

    /**
     * @param name a system property name without {@code $}: {@code messageId}, {@code correlationId},
     *            {@code contentType}, {@code contentEncoding}, {@code connectionDeviceId}, {@code connectionModuleId},
     *            {@code outputName}, {@code creationTimeUtc}, or any other the message carries
     * @return its value, or null
     */
    String systemProperty(String name);

    /**
     * @param source the message's source path
     * @param message an Outpost message
     * @return the message as routes see it
     */
    static RouteMessage of(String source, Message message) {
        Map<String, String> system = new java.util.HashMap<>();
        put(system, "messageId", message.messageId());
        put(system, "correlationId", message.correlationId());
        put(system, "contentType", message.contentType());
        put(system, "contentEncoding", message.contentEncoding());
        put(system, "connectionDeviceId", message.connectionDeviceId());
        put(system, "connectionModuleId", message.connectionModuleId());
        put(system, "outputName", message.outputName());
        put(system, "creationTimeUtc", message.creationTimeUtc() == null ? null : message.creationTimeUtc().toString());
        // message.body() is already a copy: no need to copy it again.
        return create(source, message.body(), message.properties(), system);
    }

    /**
     * @param source the source path
     * @param body the body
     * @param applicationProperties application properties (a value may be null: present, with a null value)
     * @param systemProperties system properties, named without {@code $} ({@code contentType}, ...); a value may
     *            be null
     * @return a route message
     */
    static RouteMessage of(String source, byte[] body, Map<String, String> applicationProperties,
            Map<String, String> systemProperties) {
        return create(source, body.clone(), applicationProperties, systemProperties);
    }

    private static RouteMessage create(String source, byte[] copy, Map<String, String> applicationProperties,
            Map<String, String> systemProperties) {
        Map<String, String> app = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        app.putAll(applicationProperties);
        Map<String, String> sys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sys.putAll(systemProperties);
        class Immutable implements RouteMessage, JsonBody {
            private JsonNode json;
            private boolean parsed;

            @Override
            public JsonNode parsedJson() {
                if (!parsed) {
                    json = BodyJson.parse(this);
                    parsed = true;
                }
                return json;
            }

            @Override
            public String source() {
                return source;
            }

            @Override
            public byte[] body() {
                return copy.clone();
            }

            @Override
            public String applicationProperty(String name) {
                return app.get(name);
            }

            @Override
            public String systemProperty(String name) {
                return sys.get(name);
            }

            @Override
            public boolean hasApplicationProperty(String name) {
                return app.containsKey(name);
            }

            @Override
            public boolean hasSystemProperty(String name) {
                return sys.containsKey(name);
            }

            @Override
            public String toString() {
                return "RouteMessage[" + source + ", " + copy.length + " bytes, app=" + app.keySet() + ", sys="
                        + sys.keySet() + "]";
            }
        }
        return new Immutable();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
