/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A module as a gateway's {@code $edgeAgent} reports it ({@code properties.reported.modules.<id>}).
 *
 * @param moduleId the module
 * @param runtimeStatus its state: running, backoff, unhealthy, stopped, failed, dead or unknown
 * @param restartCount restarts the gateway made
 * @param statusDescription what the gateway says of it, or ""
 */
public record ReportedModule(String moduleId, String runtimeStatus, long restartCount, String statusDescription) {

    /** The states in which a module counts as failing (for a deployment's status and the fleet's health). */
    private static final Set<String> FAILING = Set.of("failed", "backoff", "unhealthy", "dead");

    /** @return true if the module is failing: failed, backing off, unhealthy or dead */
    public boolean failing() {
        return FAILING.contains(runtimeStatus);
    }

    /**
     * @param agentReported the reported properties of a device's {@code $edgeAgent} twin
     * @return its modules, in the order reported
     */
    public static List<ReportedModule> of(JsonNode agentReported) {
        List<ReportedModule> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = agentReported.path("modules").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> m = it.next();
            out.add(new ReportedModule(m.getKey(), m.getValue().path("runtimeStatus").asText("unknown"),
                    m.getValue().path("restartCount").asLong(0), m.getValue().path("statusDescription").asText("")));
        }
        return out;
    }
}
