/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ReportedModule;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.protocol.TwinDocument;

/**
 * A device as the API shows it: in the list (its health at a glance), alone (with twins and telemetry); its module
 * identities. A page of the list is read in a fixed number of calls, whatever its size (never a read per device).
 */
final class DeviceViews {

    static final int RECENT_TELEMETRY = 20;
    private static final String AGENT = "$edgeAgent";
    private static final EffectiveDesired NOTHING = new EffectiveDesired(Optional.empty(), List.of(), Map.of());

    private final Twins twins;
    private final Deployments deployments;
    private final Telemetry telemetry;

    DeviceViews(Twins twins, Deployments deployments, Telemetry telemetry) {
        this.twins = twins;
        this.deployments = deployments;
        this.telemetry = telemetry;
    }

    /**
     * @return the list's entries of the devices, in their order; a device deleted meanwhile is left out
     */
    List<Map<String, Object>> summaries(List<Device> page) {
        return summaries(page, Map.of());
    }

    /**
     * @param childCounts how many children each device has (those without are left out)
     * @return the list's entries of the devices, in their order; a device deleted meanwhile is left out
     */
    List<Map<String, Object>> summaries(List<Device> page, Map<String, Integer> childCounts) {
        if (page.isEmpty()) {
            return List.of();
        }
        List<String> ids = page.stream().map(Device::id).toList();
        Map<String, ObjectNode> tags = twins.tagsOf(ids);
        Map<String, TwinDocument> agents = twins.twinsOf(ids, AGENT);
        Map<String, EffectiveDesired> applied = deployments.appliedTo(ids);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Device d : page) {
            if (tags.containsKey(d.id()) && agents.containsKey(d.id())) {
                Map<String, Object> m = summary(d, tags.get(d.id()), applied.getOrDefault(d.id(), NOTHING), agents
                        .get(d.id()));
                m.put("childCount", childCounts.getOrDefault(d.id(), 0));
                out.add(m);
            }
        }
        return out;
    }

    private static Map<String, Object> summary(Device d, ObjectNode tags, EffectiveDesired e, TwinDocument agent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.id());
        m.put("parentId", d.parentId());
        m.put("status", d.enabled() ? "enabled" : "disabled");
        m.put("connectionState", d.connectionState());
        m.put("lastActivityTime", d.lastSeen() == null ? null : d.lastSeen().toString());
        m.put("created", d.created().toString());
        m.put("messages", d.messages());
        m.put("tags", tags);
        m.put("deployment", e.base().orElse(null));
        m.put("layers", e.layers());
        JsonNode reported = ApiJson.read(agent.reported());
        ObjectNode modules = ApiJson.MAPPER.createObjectNode();
        int failing = 0;
        long restarts = 0;
        for (ReportedModule mod : ReportedModule.of(reported)) {
            modules.put(mod.moduleId(), mod.runtimeStatus());
            failing += mod.failing() ? 1 : 0;
            restarts += mod.restartCount();
        }
        m.put("modules", modules);
        m.put("failingModules", failing);
        m.put("restartCount", restarts);
        JsonNode last = reported.path("lastDesiredStatus");
        m.put("lastDesiredStatus", last.isMissingNode() ? null : last);
        return m;
    }

    /** @return how many children each device of the list has (those with none are left out) */
    static Map<String, Integer> childCounts(List<Device> devices) {
        Map<String, Integer> out = new java.util.HashMap<>();
        devices.stream().filter(d -> d.parentId() != null).forEach(d -> out.merge(d.parentId(), 1, Integer::sum));
        return out;
    }

    /**
     * @param children the device's children's ids
     * @throws ApiException 404 if the device was deleted meanwhile
     */
    Map<String, Object> detail(Device d, List<String> children) {
        Map<String, Object> m = summaries(List.of(d), Map.of(d.id(), children.size())).stream().findFirst()
                .orElseThrow(() -> new ApiException(404,
                "no device '" + d.id() + "'", null));
        m.put("children", children);
        m.put("secondaryKey", d.secondaryKey());
        m.put("connections", d.connections());
        m.put("edgeAgent", ApiJson.read(twins.twin(d.id(), "$edgeAgent").toJson()));
        m.put("edgeHub", ApiJson.read(twins.twin(d.id(), "$edgeHub").toJson()));
        m.put("twin", ApiJson.read(twins.twin(d.id(), null).toJson()));
        m.put("telemetry", recent(d.id(), RECENT_TELEMETRY));
        return m;
    }

    /** A module identity without its keys; connectionState is "unknown" when it is not known here. */
    static Map<String, Object> module(ModuleIdentity identity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", identity.deviceId());
        m.put("moduleId", identity.moduleId());
        m.put("generationId", identity.generationId());
        m.put("managedBy", identity.managedBy());
        m.put("created", identity.created().toString());
        m.put("connectionState", identity.connected() == null ? "unknown" : identity.connected() ? "connected"
                : "disconnected");
        return m;
    }

    /** The device's newest messages, oldest first. */
    List<Object> recent(String device, int limit) {
        List<Object> out = new ArrayList<>();
        for (Telemetry.Received r : telemetry.recent(device, limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", r.sequence());
            m.put("moduleId", r.moduleId());
            m.put("properties", r.message().properties());
            m.put("body", r.message().bodyAsString());
            out.add(m);
        }
        return out;
    }
}
