/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a reading out of a JSON body into headers ({@link AnalyticsHeaders}): its key ({@code keyField}, default
 * {@code sensor}; {@code defaultKey} when the reading has none), its value ({@code valueField}, default {@code value}: a
 * number or a numeric string), its time ({@code timestampField}, default {@code timestamp}: epoch milliseconds or an
 * ISO-8601 text; else the message's creation time, else the exchange's) and, with {@code idField}, its id. Field paths
 * are {@link FieldPath}s ({@code machine.temperature}). The body is left as it is.
 * <p>
 * A message that is not a reading (not JSON, or without a numeric value where {@code valueField} is set) is dropped:
 * the exchange stops here and completes, so an {@code outpost:} input acknowledges it (retrying would not make it a
 * reading); the first and then every 1,000th such message is logged. With {@code invalid=fail} it fails instead.
 */
public final class ReadingExtractor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingExtractor.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private FieldPath keyField = FieldPath.parse("sensor");
    private FieldPath valueField = FieldPath.parse("value");
    private FieldPath timestampField = FieldPath.parse("timestamp");
    private FieldPath idField;
    private String defaultKey = "unknown";
    private boolean failInvalid;
    private final AtomicLong invalid = new AtomicLong();

    /** @param path the key's field; empty: every reading has {@code defaultKey} */
    public void setKeyField(String path) {
        this.keyField = FieldPath.parse(path);
    }

    /** @param path the value's field; empty: no value is taken (de-duplication only) */
    public void setValueField(String path) {
        this.valueField = FieldPath.parse(path);
    }

    /** @param path the time's field; empty: the message's creation time */
    public void setTimestampField(String path) {
        this.timestampField = FieldPath.parse(path);
    }

    /** @param path the id's field, for de-duplication by a body field; empty: the message id */
    public void setIdField(String path) {
        FieldPath p = FieldPath.parse(path);
        this.idField = p.isEmpty() ? null : p;
    }

    /** @param key the key of readings without one */
    public void setDefaultKey(String key) {
        this.defaultKey = key;
    }

    /** @param mode {@code drop} (default) or {@code fail}: what becomes of a message that is not a reading */
    public void setInvalid(String mode) {
        if (!"drop".equals(mode) && !"fail".equals(mode)) {
            throw new IllegalArgumentException("ReadingExtractor invalid='" + mode + "': use drop or fail");
        }
        this.failInvalid = "fail".equals(mode);
    }

    /** @return how many messages were not readings */
    public long invalidCount() {
        return invalid.get();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        JsonNode root;
        try {
            byte[] body = in.getBody(byte[].class);
            root = body == null ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            root = null;
        }
        if (root == null || root.isMissingNode()) {
            reject(exchange, "its body is not JSON");
            return;
        }
        Double value = null;
        if (!valueField.isEmpty()) {
            value = valueField.number(root);
            if (value == null) {
                reject(exchange, "it has no number at '" + valueField + "'");
                return;
            }
        }
        String key = keyField.isEmpty() ? null : keyField.text(root);
        in.setHeader(AnalyticsHeaders.KEY, key == null ? defaultKey : key);
        if (value != null) {
            in.setHeader(AnalyticsHeaders.VALUE, value);
        }
        in.setHeader(AnalyticsHeaders.TIME, time(exchange, root));
        if (idField != null || in.getHeader(AnalyticsHeaders.ID) == null) {
            String id = idField == null ? null : idField.text(root);
            if (id == null) {
                id = in.getHeader(AnalyticsHeaders.OUTPOST_MESSAGE_ID, String.class);
            }
            in.setHeader(AnalyticsHeaders.ID, id == null ? exchange.getExchangeId() : id);
        }
    }

    private long time(Exchange exchange, JsonNode root) {
        Long t = timestampField.isEmpty() ? null : parseTime(timestampField.find(root));
        if (t == null) {
            t = parseTime(exchange.getMessage().getHeader(AnalyticsHeaders.OUTPOST_CREATION_TIME, String.class));
        }
        return t != null ? t : exchange.getClock().getCreated();
    }

    private static Long parseTime(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.longValue();
        }
        return node.isTextual() ? parseTime(node.textValue()) : null;
    }

    /** @return epoch milliseconds of an ISO-8601 instant or offset date-time, or of a number; null if neither */
    static Long parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException notMillis) {
            // an ISO-8601 text
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    private void reject(Exchange exchange, String why) {
        long n = invalid.incrementAndGet();
        String what = "Message " + exchange.getMessage().getHeader(AnalyticsHeaders.OUTPOST_MESSAGE_ID,
                exchange.getExchangeId(), String.class) + " is not a reading: " + why + " (value field '" + valueField
                + "')";
        if (failInvalid) {
            throw new IllegalArgumentException(what);
        }
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("{}; dropped ({} such so far in route {})", what, n, exchange.getFromRouteId());
        }
        exchange.setRouteStop(true);
    }
}
