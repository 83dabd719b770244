/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Outpost's bandwidth wire format between a gateway's upstream and the hub (or a parent gateway): several telemetry
 * messages of one sender in one publish (a batch), and gzip compression of a publish's payload. Both are marked in
 * the topic's property bag, so any other IoT Hub consumer sees a well-formed message:
 * <ul>
 * <li>a batch: {@code $.ct=}{@value #BATCH_CONTENT_TYPE} and {@value #BATCH}{@code =<count>}; the payload is a JSON
 * array whose elements are {@code {"properties": {application properties}, "systemProperties": {"$.mid": ..., "$.ct":
 * ..., "$.ce": ..., "$.ctime": ..., "$.cid": ..., "$.on": ...}, "body": "<Base64 of the body>"}};</li>
 * <li>compressed: {@code $.ce=gzip} and {@value #ENCODING}{@code =gzip}, the original content encoding (if any) in
 * {@value #ORIGINAL_ENCODING}; the payload is the gzip of the original payload (a single message's body, or a batch's
 * JSON array). A device's own {@code $.ce=gzip} without {@value #ENCODING} is left alone.</li>
 * </ul>
 * {@link #unpack} gives back the original messages, each on the topic it would have had unbatched and uncompressed:
 * the receiver's ACL, store and telemetry log see exactly what they would have seen. The sender is the outer topic's:
 * an element cannot name another device or module.
 */
public final class TelemetryPacking {

    /** The bag key that marks a batch; its value is the number of messages. */
    public static final String BATCH = "outpost-batch";
    /** The content type of a batch's JSON array. */
    public static final String BATCH_CONTENT_TYPE = "application/vnd.outpost.batch+json";
    /** The bag key that marks Outpost's compression of the payload; its value is {@value #GZIP}. */
    public static final String ENCODING = "outpost-encoding";
    /** The bag key that keeps the original {@code $.ce} of a compressed single message. */
    public static final String ORIGINAL_ENCODING = "outpost-ce";
    public static final String GZIP = "gzip";
    /** The most bytes a compressed payload may expand to (a larger one is refused as malformed). */
    public static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as carried: its topic's property bag (system properties in short keys, then application ones). */
    public record Item(Map<String, String> properties, byte[] body) {
    }

    private TelemetryPacking() {
    }

    /**
     * @param items the messages, in order, each with its property bag ({@link PropertyBag#of})
     * @return the batch payload: a JSON array (UTF-8)
     */
    public static byte[] batch(List<Item> items) {
        ArrayNode array = JSON.createArrayNode();
        for (Item i : items) {
            ObjectNode e = array.addObject();
            ObjectNode app = e.putObject("properties");
            ObjectNode sys = e.putObject("systemProperties");
            i.properties().forEach((k, v) -> (isSystem(k) ? sys : app).put(k, v));
            e.put("body", Base64.getEncoder().encodeToString(i.body()));
        }
        try {
            return JSON.writeValueAsBytes(array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param sender the property bag of the sender's topic (its {@code $.cdid}, {@code $.cmid}), kept on the batch
     * @param count how many messages the batch holds
     * @return the batch's topic property bag
     */
    public static Map<String, String> batchProperties(Map<String, String> sender, int count) {
        Map<String, String> bag = new LinkedHashMap<>();
        bag.put(PropertyBag.CONTENT_TYPE, BATCH_CONTENT_TYPE);
        copy(sender, bag, PropertyBag.CONNECTION_DEVICE_ID);
        copy(sender, bag, PropertyBag.CONNECTION_MODULE_ID);
        bag.put(BATCH, Integer.toString(count));
        return bag;
    }

    /**
     * @param properties a publish's property bag
     * @return the bag of its gzip-compressed form
     */
    public static Map<String, String> gzipProperties(Map<String, String> properties) {
        Map<String, String> bag = new LinkedHashMap<>(properties);
        String original = bag.put(PropertyBag.CONTENT_ENCODING, GZIP);
        if (original != null) {
            bag.put(ORIGINAL_ENCODING, original);
        }
        bag.put(ENCODING, GZIP);
        return bag;
    }

    /** @return the gzip of the bytes */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
            z.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @param topic a received telemetry topic
     * @param payload its payload
     * @return the original messages, each with the topic it would have had and its body: the message itself if it is
     *         neither a batch nor compressed by Outpost
     * @throws IllegalArgumentException if it is marked as a batch or compressed and is not a valid one
     */
    public static List<Unpacked> unpack(TelemetryTopic topic, byte[] payload) {
        Map<String, String> bag = topic.properties();
        byte[] body = payload;
        if (GZIP.equals(bag.get(ENCODING))) {
            body = gunzip(payload);
            Map<String, String> plain = new LinkedHashMap<>(bag);
            plain.remove(ENCODING);
            String original = plain.remove(ORIGINAL_ENCODING);
            if (original == null) {
                plain.remove(PropertyBag.CONTENT_ENCODING);
            } else {
                plain.put(PropertyBag.CONTENT_ENCODING, original);
            }
            bag = plain;
        } else if (bag.containsKey(ENCODING)) {
            throw new IllegalArgumentException(ENCODING + "=" + bag.get(ENCODING) + " is not an encoding Outpost knows"
                    + " (only " + GZIP + ")");
        }
        if (!bag.containsKey(BATCH)) {
            return List.of(new Unpacked(new TelemetryTopic(topic.deviceId(), topic.moduleId(), bag), body));
        }
        return elements(topic, body);
    }

    /** One original message: its topic and body. */
    public record Unpacked(TelemetryTopic topic, byte[] body) {
    }

    /** @return whether a publish's bag marks it as a batch or as compressed by Outpost */
    public static boolean isPacked(Map<String, String> properties) {
        return properties.containsKey(BATCH) || properties.containsKey(ENCODING);
    }

    private static List<Unpacked> elements(TelemetryTopic topic, byte[] json) {
        JsonNode array;
        try {
            array = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("a batch (" + BATCH + ") that is not JSON: " + e.getMessage());
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("a batch (" + BATCH + ") must be a JSON array of messages");
        }
        List<Unpacked> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            Map<String, String> bag = new LinkedHashMap<>();
            JsonNode sys = e.path("systemProperties");
            sys.fields().forEachRemaining(f -> bag.put(f.getKey(), f.getValue().asText()));
            // The sender is the publish's, whatever an element says: no element speaks for another device.
            bag.remove(PropertyBag.CONNECTION_DEVICE_ID);
            bag.remove(PropertyBag.CONNECTION_MODULE_ID);
            copy(topic.properties(), bag, PropertyBag.CONNECTION_DEVICE_ID);
            copy(topic.properties(), bag, PropertyBag.CONNECTION_MODULE_ID);
            e.path("properties").fields().forEachRemaining(f -> bag.put(f.getKey(), f.getValue().asText()));
            JsonNode body = e.get("body");
            if (!e.isObject() || body == null || !body.isTextual()) {
                throw new IllegalArgumentException("a batch element without a Base64 \"body\"");
            }
            // In IoT Hub's order, as the gateway would have written it unbatched.
            Map<String, String> canonical = PropertyBag.of(PropertyBag.apply(bag,
                    org.outpost.api.message.Message.builder().body(new byte[0])).build());
            try {
                out.add(new Unpacked(new TelemetryTopic(topic.deviceId(), topic.moduleId(), canonical),
                        Base64.getDecoder().decode(body.asText())));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("a batch element whose body is not Base64: " + bad.getMessage());
            }
        }
        return out;
    }

    /** @return the bytes a gzip stream expands to, at most {@value #MAX_INFLATED_BYTES} */
    public static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 4);
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    throw new IllegalArgumentException("a compressed payload expands to more than "
                            + MAX_INFLATED_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("a payload marked " + ENCODING + "=" + GZIP + " that is not gzip: "
                    + e.getMessage());
        }
    }

    private static boolean isSystem(String key) {
        return key.startsWith("$.");
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String key) {
        String v = from.get(key);
        if (v != null) {
            to.put(key, v);
        }
    }
}
