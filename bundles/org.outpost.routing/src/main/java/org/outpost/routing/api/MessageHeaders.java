/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.outpost.api.message.Message;
import org.outpost.protocol.PropertyBag;

/**
 * How an Outpost {@link Message} is stored in the broker: the body is the message body, and every property is a
 * string message property with a JMS-safe name (so Camel, JMS and core clients all read the same thing). Application
 * properties travel together as one {@link PropertyBag} in {@value #PROPERTIES}, because their names need not be Java
 * identifiers.
 */
public final class MessageHeaders {

    public static final String MODULE = "outpost_module";
    public static final String OUTPUT = "outpost_output";
    public static final String DEVICE = "outpost_device";
    public static final String MESSAGE_ID = "outpost_mid";
    public static final String CORRELATION_ID = "outpost_cid";
    public static final String CONTENT_TYPE = "outpost_ct";
    public static final String CONTENT_ENCODING = "outpost_ce";
    public static final String CREATION_TIME = "outpost_ctime";
    public static final String PROPERTIES = "outpost_props";
    /**
     * On a message in the {@code $upstream} queue: the route that sent it there (the one whose priority it has), for
     * the upstream's per-route bandwidth settings. Not part of the message itself.
     */
    public static final String ROUTE = "outpost_route";

    private MessageHeaders() {
    }

    /**
     * @param message a message
     * @return its properties as broker message properties (only those that are set)
     */
    public static Map<String, String> of(Message message) {
        Map<String, String> h = new LinkedHashMap<>();
        put(h, MODULE, message.connectionModuleId());
        put(h, OUTPUT, message.outputName());
        put(h, DEVICE, message.connectionDeviceId());
        put(h, MESSAGE_ID, message.messageId());
        put(h, CORRELATION_ID, message.correlationId());
        put(h, CONTENT_TYPE, message.contentType());
        put(h, CONTENT_ENCODING, message.contentEncoding());
        put(h, CREATION_TIME, message.creationTimeUtc() == null ? null : message.creationTimeUtc().toString());
        if (!message.properties().isEmpty()) {
            h.put(PROPERTIES, PropertyBag.encode(message.properties()));
        }
        return h;
    }

    /**
     * @param body the stored body
     * @param header reads a stored property by name (null when absent)
     * @return the message
     * @throws IllegalArgumentException if a stored property is malformed
     */
    public static Message toMessage(byte[] body, Function<String, Object> header) {
        Message.Builder b = Message.builder().body(body)
                .connectionModuleId(string(header, MODULE))
                .outputName(string(header, OUTPUT))
                .connectionDeviceId(string(header, DEVICE))
                .messageId(string(header, MESSAGE_ID))
                .correlationId(string(header, CORRELATION_ID))
                .contentType(string(header, CONTENT_TYPE))
                .contentEncoding(string(header, CONTENT_ENCODING));
        String created = string(header, CREATION_TIME);
        if (created != null) {
            b.creationTimeUtc(StoredInstant.parse(created));
        }
        String props = string(header, PROPERTIES);
        if (props != null) {
            b.properties(PropertyBag.decode(props));
        }
        return b.build();
    }

    private static String string(Function<String, Object> header, String name) {
        Object v = header.apply(name);
        return v == null ? null : v.toString();
    }

    private static void put(Map<String, String> h, String key, String value) {
        if (value != null) {
            h.put(key, value);
        }
    }
}
