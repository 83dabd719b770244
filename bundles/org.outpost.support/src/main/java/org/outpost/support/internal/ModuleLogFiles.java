/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.Deployer;

/**
 * A module's log as {@code UploadModuleLogs} uploads it: text (one entry a line) or IoT Edge's JSON (an array of
 * {@code {"iotHub", "deviceId", "moduleId", "stream", "logLevel", "timeStamp", "text"}}, the level as a syslog
 * severity), gzip or not, every entry scrubbed of secrets.
 */
final class ModuleLogFiles {

    private static final Pattern LEVEL = Pattern.compile("\\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\\b");
    private static final Pattern SYSLOG = Pattern.compile("^<([0-7])>");

    private final Deployer deployer;
    private final EdgeRuntime runtime;
    private final Redactor redactor;

    ModuleLogFiles(Deployer deployer, EdgeRuntime runtime, Redactor redactor) {
        this.deployer = deployer;
        this.runtime = runtime;
        this.redactor = redactor;
    }

    /** @return every module the deployment or the runtime knows, sorted */
    Set<String> modules() {
        Set<String> modules = new TreeSet<>(deployer.status().modules().keySet());
        runtime.modules().forEach(m -> modules.add(m.name()));
        return modules;
    }

    /** @return the blob name IoT Edge gives a module's logs: {@code <hub>/<device>/<module>-<time>.<log|json>[.gz]} */
    static String blobName(String hub, String device, String module, Instant now, boolean json, boolean gzip) {
        return hub + "/" + device + "/" + module + "-" + Payloads.BLOB_TIME.format(now) + (json ? ".json" : ".log")
                + (gzip ? ".gz" : "");
    }

    byte[] content(String module, Payloads.LogItem item, String hub, boolean json, boolean gzip) throws IOException {
        List<String> entries = deployer.logs(module, item.query());
        byte[] bytes;
        if (json) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            GatewayLog times = new GatewayLog(null, ZoneId.systemDefault(), redactor);
            for (String e : entries) {
                ObjectNode o = out.addObject().put("iotHub", hub).put("deviceId", runtime.deviceId())
                        .put("moduleId", module).put("stream", "stdout").put("logLevel", severity(e));
                Instant t = times.time(e);
                o.put("timeStamp", t == null ? null : t.toString());
                o.put("text", redactor.lines(e));
            }
            bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            StringBuilder sb = new StringBuilder();
            entries.forEach(e -> sb.append(redactor.lines(e)).append('\n'));
            bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (!gzip) {
            return bytes;
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(bytes);
        }
        return z.toByteArray();
    }

    /** @return an entry's syslog severity: its {@code <n>} prefix or level word, else 6 (informational) */
    static int severity(String entry) {
        Matcher s = SYSLOG.matcher(entry);
        if (s.find()) {
            return s.group(1).charAt(0) - '0';
        }
        Matcher m = LEVEL.matcher(entry.length() > 200 ? entry.substring(0, 200) : entry);
        if (!m.find()) {
            return 6;
        }
        return switch (m.group(1).toUpperCase(Locale.ROOT)) {
            case "FATAL" -> 2;
            case "ERROR" -> 3;
            case "WARN", "WARNING" -> 4;
            case "DEBUG", "TRACE" -> 7;
            default -> 6;
        };
    }
}
