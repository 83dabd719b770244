/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.LogQuery;

/** {@code $edgeAgent}'s built-in {@code GetModuleLogs} method. */
final class GetModuleLogs {

    private GetModuleLogs() {
    }

    /**
     * IoT Edge's GetModuleLogs: {@code items} of {@code {"id": "<module id regex>", "filter": {"tail", "since",
     * "until", "loglevel" (syslog severity 0-7: this and more severe), "regex"}}}; answered with
     * {@code [{"id": "<module>", "payload": "<lines>"}]} (text, no encoding).
     */
    static String answer(JsonNode payload, Deployer deployer, EdgeRuntime runtime) throws IOException {
        JsonNode items = payload.path("items");
        if (!items.isArray() || items.isEmpty()) {
            throw new IllegalArgumentException("GetModuleLogs needs {\"schemaVersion\": \"1.0\", \"items\": [{\"id\":"
                    + " \"<module id regex>\", \"filter\": {\"tail\": 100}}]}");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Instant now = Instant.now();
        Set<String> modules = new TreeSet<>(deployer.status().modules().keySet());
        runtime.modules().forEach(m -> modules.add(m.name()));
        for (JsonNode item : items) {
            Pattern id = Pattern.compile(item.path("id").asText(".*"));
            JsonNode f = item.path("filter");
            LogQuery query = new LogQuery(f.path("tail").asInt(100),
                    f.hasNonNull("since") ? LogQuery.time(f.path("since").asText(), now) : null,
                    f.hasNonNull("until") ? LogQuery.time(f.path("until").asText(), now) : null,
                    f.has("loglevel") ? LogQuery.levelOfSyslogSeverity(f.path("loglevel").asInt(7)) : null,
                    f.hasNonNull("regex") ? LogQuery.regex(f.path("regex").asText()) : null);
            for (String module : modules) {
                if (id.matcher(module).matches()) {
                    out.addObject().put("id", module).put("payload", String.join("\n", deployer.logs(module, query)));
                }
            }
        }
        return out.toString();
    }
}
