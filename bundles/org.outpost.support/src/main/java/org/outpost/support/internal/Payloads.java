/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.outpost.deployment.api.LogQuery;

/**
 * The payloads of {@code $edgeAgent}'s upload methods, as IoT Edge's edgeAgent reads them
 * ({@code ModuleLogsUploadRequest}, {@code SupportBundleRequest}, {@code TaskStatusRequest}), with their errors.
 */
final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How IoT Edge stamps blob names. */
    static final DateTimeFormatter BLOB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd--HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    private Payloads() {
    }

    /** One {@code items} entry: which modules and which of their entries. */
    record LogItem(Pattern id, LogQuery query) {
    }

    /** {@code UploadModuleLogs}' payload. */
    record LogsUpload(URI sasUrl, List<LogItem> items, boolean gzip, boolean json) {
    }

    /** {@code UploadSupportBundle}'s payload. */
    record BundleUpload(URI sasUrl, Instant since, Instant until, boolean edgeRuntimeOnly) {
    }

    static JsonNode parse(String payload, String method, String example) {
        if (payload == null || payload.isBlank() || payload.equals("null")) {
            throw new IllegalArgumentException(method + " needs a payload: " + example);
        }
        try {
            JsonNode n = JSON.readTree(payload);
            if (!n.isObject()) {
                throw new IllegalArgumentException(method + " needs a JSON object: " + example);
            }
            schemaVersion(n, method);
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(method + "'s payload is not JSON (" + e.getOriginalMessage() + "): "
                    + example);
        }
    }

    private static void schemaVersion(JsonNode n, String method) {
        String v = n.path("schemaVersion").asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException(method + " needs \"schemaVersion\": \"1.0\"");
        }
        if (!v.equals("1") && !v.startsWith("1.")) {
            throw new IllegalArgumentException(method + ": schemaVersion " + v + " is not supported; use 1.0");
        }
    }

    static final String LOGS_EXAMPLE = "{\"schemaVersion\": \"1.0\", \"sasUrl\": \"<container SAS URL>\", \"items\":"
            + " [{\"id\": \"<module id regex>\", \"filter\": {\"tail\": 100, \"since\": \"1h\", \"loglevel\": 6,"
            + " \"regex\": \"...\"}}], \"encoding\": \"none|gzip\", \"contentType\": \"text|json\"}";

    static LogsUpload logs(String payload, Instant now) {
        JsonNode n = parse(payload, "UploadModuleLogs", LOGS_EXAMPLE);
        URI sas = BlobUpload.container(n.path("sasUrl").asText(null));
        JsonNode items = n.path("items");
        List<JsonNode> list = new ArrayList<>();
        if (items.isObject()) {
            list.add(items);
        } else if (items.isArray()) {
            items.forEach(list::add);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("UploadModuleLogs needs \"items\": " + LOGS_EXAMPLE);
        }
        List<LogItem> out = new ArrayList<>();
        for (JsonNode item : list) {
            String id = item.path("id").asText("");
            if (id.isEmpty()) {
                throw new IllegalArgumentException("UploadModuleLogs: every item needs an \"id\" (a regular"
                        + " expression of module ids, \".*\" for all)");
            }
            Pattern p;
            try {
                p = LogQuery.regex(id);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("UploadModuleLogs: the id '" + id + "' is not a regular expression: "
                        + e.getDescription());
            }
            out.add(new LogItem(p, query(item.path("filter"), now)));
        }
        String encoding = n.path("encoding").asText("none").toLowerCase(java.util.Locale.ROOT);
        String type = n.path("contentType").asText("json").toLowerCase(java.util.Locale.ROOT);
        if (!encoding.equals("none") && !encoding.equals("gzip")) {
            throw new IllegalArgumentException("UploadModuleLogs: encoding is none or gzip, not '" + encoding + "'");
        }
        if (!type.equals("json") && !type.equals("text")) {
            throw new IllegalArgumentException("UploadModuleLogs: contentType is json or text, not '" + type + "'");
        }
        return new LogsUpload(sas, out, encoding.equals("gzip"), type.equals("json"));
    }

    /** IoT Edge's log filter: tail, since, until, loglevel (syslog severity), regex. */
    static LogQuery query(JsonNode f, Instant now) {
        try {
            return new LogQuery(f.path("tail").asInt(Integer.MAX_VALUE),
                    time(f.path("since"), now), time(f.path("until"), now),
                    f.has("loglevel") ? LogQuery.levelOfSyslogSeverity(f.path("loglevel").asInt(7)) : null,
                    f.hasNonNull("regex") ? LogQuery.regex(f.path("regex").asText()) : null);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("the filter's regex is not a regular expression: " + e.getDescription());
        }
    }

    private static Instant time(JsonNode t, Instant now) {
        if (t.isMissingNode() || t.isNull() || t.asText().isBlank()) {
            return null;
        }
        return LogQuery.time(t.asText(), now);
    }

    static final String BUNDLE_EXAMPLE = "{\"schemaVersion\": \"1.0\", \"sasUrl\": \"<container SAS URL>\","
            + " \"since\": \"2d\", \"until\": \"1d\", \"edgeRuntimeOnly\": false}";

    static BundleUpload bundle(String payload, Instant now) {
        JsonNode n = parse(payload, "UploadSupportBundle", BUNDLE_EXAMPLE);
        URI sas = BlobUpload.container(n.path("sasUrl").asText(null));
        Instant since = time(n.path("since"), now);
        Instant until = time(n.path("until"), now);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("UploadSupportBundle: since (" + since + ") must be before until ("
                    + until + ")");
        }
        return new BundleUpload(sas, since, until, n.path("edgeRuntimeOnly").asBoolean(false));
    }

    static String correlationId(String payload) {
        JsonNode n = parse(payload, "GetTaskStatus", "{\"schemaVersion\": \"1.0\", \"correlationId\": \"<id>\"}");
        String id = n.path("correlationId").asText("");
        if (id.isBlank()) {
            throw new IllegalArgumentException("GetTaskStatus needs the \"correlationId\" UploadModuleLogs or"
                    + " UploadSupportBundle answered with");
        }
        return id;
    }
}
