/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.MetricSample;

/**
 * Metrics as Azure IoT Edge's metrics-collector module sends them as IoT messages ({@code UploadTarget=IotMessage}),
 * so that whatever reads its messages reads ours: a UTF-8 JSON array of
 * {@code {"TimeGeneratedUtc": "...", "Name": "...", "Value": 1.0, "Labels": {...}}}, one element per value, from the
 * output {@code metricOutput} with the application property {@code id=origin-iotedge-metrics-collector}. A summary is
 * sent as a Prometheus scrape shows it: {@code <name>_count}, {@code <name>_sum} and one {@code <name>} per quantile
 * with the label {@code quantile}, and a counter always ends in {@code _total}. Values that JSON cannot carry (NaN,
 * infinities) are left out.
 */
final class MetricsMessages {

    /** The application property and value by which metrics-collector's messages are known. */
    static final String ID_PROPERTY = "id";
    static final String ID_VALUE = "origin-iotedge-metrics-collector";
    static final String OUTPUT = "metricOutput";

    private static final JsonFactory JSON = new JsonFactory();

    /** One value as it is sent. */
    record Value(String name, Map<String, String> labels, double value) {
    }

    private MetricsMessages() {
    }

    /** @return the values of the samples, summaries spread into count, sum and quantiles; non-finite ones left out */
    static List<Value> values(List<MetricSample> samples) {
        List<Value> out = new ArrayList<>();
        for (MetricSample s : samples) {
            if ("summary".equals(s.type())) {
                add(out, s.name() + "_count", s.labels(), s.value());
                add(out, s.name() + "_sum", s.labels(), s.sumSeconds());
                s.quantiles().forEach((q, v) -> {
                    Map<String, String> labels = new TreeMap<>(s.labels());
                    labels.put("quantile", q);
                    add(out, s.name(), labels, v);
                });
            } else if ("counter".equals(s.type()) && !s.name().endsWith("_total")) {
                // As a Prometheus scrape names a counter, which is what metrics-collector uploads.
                add(out, s.name() + "_total", s.labels(), s.value());
            } else {
                add(out, s.name(), s.labels(), s.value());
            }
        }
        return out;
    }

    private static void add(List<Value> out, String name, Map<String, String> labels, double v) {
        if (Double.isFinite(v)) {
            out.add(new Value(name, labels, v));
        }
    }

    /**
     * @param values the values
     * @param time when they were read
     * @param maxBytes the largest body; values that do not fit go into the next one
     * @return the bodies, each a JSON array (none for no values)
     */
    static List<byte[]> bodies(List<Value> values, Instant time, int maxBytes) {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> elements = new ArrayList<>();
        int size = 2;
        for (Value v : values) {
            byte[] e = element(v, time);
            if (!elements.isEmpty() && size + 1 + e.length > maxBytes) {
                out.add(array(elements));
                elements.clear();
                size = 2;
            }
            elements.add(e);
            size += e.length + (elements.size() > 1 ? 1 : 0);
        }
        if (!elements.isEmpty()) {
            out.add(array(elements));
        }
        return out;
    }

    /** @return the message of a body, sent by {@code moduleId} on {@value #OUTPUT} */
    static Message message(byte[] body, String moduleId, Instant time) {
        return Message.builder().body(body).connectionModuleId(moduleId).outputName(OUTPUT)
                .messageId(UUID.randomUUID().toString()).creationTimeUtc(time).contentType("application/json")
                .contentEncoding("utf-8").properties(Map.of(ID_PROPERTY, ID_VALUE)).build();
    }

    private static byte[] element(Value v, Instant time) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(b)) {
            g.writeStartObject();
            g.writeStringField("TimeGeneratedUtc", time.toString());
            g.writeStringField("Name", v.name());
            g.writeNumberField("Value", v.value());
            g.writeObjectFieldStart("Labels");
            for (Map.Entry<String, String> l : v.labels().entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static byte[] array(List<byte[]> elements) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                b.write(',');
            }
            b.writeBytes(elements.get(i));
        }
        b.write(']');
        return b.toByteArray();
    }
}
