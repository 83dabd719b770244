/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.outpost.hub.api.Device;
import org.outpost.protocol.TwinDocument;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A gateway's health as the API shows it: what its {@code $edgeAgent} twin last reported as {@code health} (the
 * gateway's checks: status, counts, the failing checks with what to do), and whether it is connected now (a
 * disconnected gateway's health is as old as its last report). {@code unknown} when it never reported one.
 */
final class HealthViews {

    static final String AGENT = "$edgeAgent";

    private HealthViews() {
    }

    static Map<String, Object> view(Device device, TwinDocument agent, boolean withFailing) {
        JsonNode reported = ApiJson.read(agent == null ? "{}" : agent.reported());
        JsonNode health = reported.path("health");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deviceId", device.id());
        out.put("connectionState", device.connectionState());
        out.put("status", health.path("status").asText("unknown"));
        for (String level : List.of("ok", "warn", "critical")) {
            out.put(level, health.path(level).asLong(0));
        }
        if (withFailing) {
            List<Map<String, String>> failing = new ArrayList<>();
            for (JsonNode f : health.path("failing")) {
                Map<String, String> one = new LinkedHashMap<>();
                for (String key : List.of("check", "result", "detail", "action")) {
                    one.put(key, f.path(key).asText(""));
                }
                failing.add(one);
            }
            out.put("failing", failing);
            out.put("reportedVersion", agent == null ? 0 : agent.reportedVersion());
        }
        return out;
    }
}
