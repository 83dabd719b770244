/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;

/**
 * The validated configuration of the metrics upload ({@code etc/org.outpost.metrics.upload.cfg}).
 *
 * @param enabled whether metrics are uploaded at all
 * @param interval how often a message with the selected metrics is stored for the upstream
 * @param selectors the metric names to upload: globs ({@code *} any characters, {@code ?} one), as IoT Edge's
 *            metrics-collector's {@code AllowedMetrics} names them
 * @param timeToLive how long a message may wait in the upstream queue for the cloud
 * @param priority IoT Edge route priority of the messages, 0 (highest) to 9 (lowest, the default)
 * @param moduleId the module the messages go out under ({@code devices/<gateway>/modules/<moduleId>/...})
 * @param maxMessageBytes the largest message body; more metrics are split into several messages
 */
record MetricsUploadSettings(boolean enabled, Duration interval, List<Pattern> selectors, Duration timeToLive,
        int priority, String moduleId, int maxMessageBytes) {

    static final String PID = "org.outpost.metrics.upload";

    /** The metrics the hub's charts draw (edgeHub's and edgeAgent's names, and the names before they had prefixes). */
    static final String DEFAULT_METRICS = "edgehub_messages_received_total, edgehub_messages_sent_total,"
            + " edgehub_messages_dropped_total, edgehub_queue_length, edgehub_connected_clients,"
            + " edgeAgent_used_cpu_percent, edgeAgent_used_memory_bytes, edgeAgent_module_start_total,"
            + " edgeAgent_module_stop_total, edgeAgent_total_time_running_correctly_seconds,"
            + " messages_received_total, messages_sent_total, messages_dropped_total, queue_length";

    private static final Pattern MODULE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    MetricsUploadSettings {
        selectors = List.copyOf(selectors);
    }

    static MetricsUploadSettings from(MetricsUpload.Config c, Map<String, ?> raw)
            throws InvalidConfigurationException {
        ConfigValues v = new ConfigValues(PID, c, raw);
        boolean enabled = v.get("enabled", c::enabled, "true or false");
        int interval = v.get("interval.seconds", c::interval_seconds, s -> s >= 1 && s <= 86_400,
                "seconds between uploads, 1 to 86400");
        String metrics = v.get("metrics", c::metrics, s -> !globs(s).isEmpty(),
                "metric names or globs (* and ?), separated by commas or spaces");
        long ttl = v.get("time.to.live.seconds", c::time_to_live_seconds, s -> s >= 1,
                "seconds a message may wait for the cloud, at least 1");
        int priority = v.get("priority", c::priority, p -> p >= 0 && p <= 9, "a route priority 0 (highest) to 9");
        String module = v.get("module.id", c::module_id, m -> MODULE_ID.matcher(m).matches(),
                "a module id: 1-64 letters, digits, - or _");
        int max = v.get("max.message.bytes", c::max_message_bytes, b -> b >= 1024 && b <= 256 * 1024,
                "bytes, 1024 to 262144");
        return new MetricsUploadSettings(enabled, Duration.ofSeconds(interval), globs(metrics),
                Duration.ofSeconds(ttl), priority, module, max);
    }

    /** @return the patterns of a list of globs separated by commas or white space */
    static List<Pattern> globs(String list) {
        List<Pattern> out = new ArrayList<>();
        for (String g : list.trim().split("[,\\s]+")) {
            if (!g.isEmpty()) {
                StringBuilder re = new StringBuilder();
                for (char ch : g.toCharArray()) {
                    re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
                }
                out.add(Pattern.compile(re.toString()));
            }
        }
        return out;
    }

    /** @return whether a metric of this name is uploaded */
    boolean selects(String name) {
        for (Pattern p : selectors) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** @return the broker priority of the messages: IoT Edge priority p is the broker's 9 - p, as the router maps it */
    int brokerPriority() {
        return 9 - priority;
    }
}
