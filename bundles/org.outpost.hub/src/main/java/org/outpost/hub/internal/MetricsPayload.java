/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.outpost.api.message.Message;
import org.outpost.hub.metrics.MetricSeries;

/**
 * Reads the metrics of an IoT Edge metrics-collector message (its {@code UploadTarget=IotMessage} form, which the
 * Outpost gateway's metrics upload sends too): a JSON array of {@code {"TimeGeneratedUtc", "Name", "Value",
 * "Labels"}}, UTF-8 or gzipped (metrics-collector's {@code CompressForUpload}, on by default, gzips the body without
 * saying so). {@code Label} and {@code Tags} are read as {@code Labels}. A value whose name is not a Prometheus name,
 * whose value is not a finite number or whose labels are too long is left out; a body that is not such an array is
 * refused.
 */
final class MetricsPayload {

    /** The application property and value by which metrics-collector's messages are known. */
    static final String ID_PROPERTY = "id";
    static final String ID_VALUE = "origin-iotedge-metrics-collector";

    /** Most bytes a body may unpack to. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Most values one message may carry. */
    static final int MAX_VALUES = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,199}");
    private static final int MAX_LABELS_CHARS = 1000;

    /** One value at its time. */
    record Timed(long timeMs, MetricRepository.Value value) {
    }

    private MetricsPayload() {
    }

    /** @return whether a message is metrics-collector's */
    static boolean isMetrics(Message m) {
        return ID_VALUE.equals(m.properties().get(ID_PROPERTY));
    }

    /**
     * @param body the message body
     * @param received when the hub received it: the time of a value without one
     * @return the values
     * @throws IllegalArgumentException if the body is not a metrics array, saying why
     */
    static List<Timed> parse(byte[] body, Instant received) {
        JsonNode array;
        try {
            array = JSON.readTree(unpacked(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("the body is not a JSON array of metrics (TransformForIoTCentral's"
                    + " form is not read: turn it off)");
        }
        if (array.size() > MAX_VALUES) {
            throw new IllegalArgumentException("the body has " + array.size() + " metrics, more than " + MAX_VALUES);
        }
        List<Timed> out = new ArrayList<>();
        for (JsonNode e : array) {
            JsonNode name = e.get("Name");
            JsonNode value = e.get("Value");
            if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches() || value == null
                    || !value.isNumber() || !Double.isFinite(value.asDouble())) {
                continue;
            }
            Map<String, String> labels = labels(e);
            if (labels == null || MetricLabels.json(labels).length() > MAX_LABELS_CHARS) {
                continue;
            }
            out.add(new Timed(time(e.get("TimeGeneratedUtc"), received), new MetricRepository.Value(name.asText(),
                    labels, kind(name.asText()), value.asDouble())));
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode e) {
        JsonNode l = e.has("Labels") ? e.get("Labels") : e.has("Label") ? e.get("Label") : e.get("Tags");
        Map<String, String> out = new TreeMap<>();
        if (l == null || l.isNull()) {
            return out;
        }
        if (!l.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            out.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
        }
        return out;
    }

    private static long time(JsonNode t, Instant received) {
        if (t != null && t.isTextual()) {
            try {
                return OffsetDateTime.parse(t.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // .NET's round-trip form without an offset is UTC; anything else gets the time it was received.
                try {
                    return Instant.parse(t.asText() + "Z").toEpochMilli();
                } catch (DateTimeParseException again) {
                    return received.toEpochMilli();
                }
            }
        }
        return received.toEpochMilli();
    }

    /** @return counter for the names Prometheus gives cumulative values, gauge for the others */
    static String kind(String name) {
        return name.endsWith("_total") || name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket")
                ? MetricSeries.COUNTER : MetricSeries.GAUGE;
    }

    private static byte[] unpacked(byte[] body) throws IOException {
        if (body.length < 2 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(MAX_BYTES + 1);
            if (out.length > MAX_BYTES) {
                throw new IOException("the gzipped body unpacks to more than " + MAX_BYTES + " bytes");
            }
            return out;
        }
    }
}
