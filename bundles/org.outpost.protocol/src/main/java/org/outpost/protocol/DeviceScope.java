/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A gateway's device scope (IoT Edge's "devices and modules in device scope"): every device below it in the hub's
 * parent/child tree, with what the gateway needs to authenticate them while the hub is away, and the module
 * identities of the gateways among them. The hub sends it to the gateway, a parent gateway to its child gateway (the
 * part below the child), over the identity registry extension of the IoT Hub MQTT contract
 * ({@link IotHubTopic.ScopeRequest}). Its JSON:
 *
 * <pre>
 * {"deviceId": "gw", "version": 7, "devices": [
 *   {"deviceId": "leaf", "parentId": "gw", "enabled": true, "edge": false,
 *    "primaryKey": "...", "secondaryKey": null, "primaryThumbprint": null, "secondaryThumbprint": null,
 *    "modules": []},
 *   {"deviceId": "child-gw", "parentId": "gw", "enabled": true, "edge": true, ...,
 *    "modules": [{"moduleId": "filter", "primaryKey": "...", "secondaryKey": "..."}]}]}
 * </pre>
 *
 * It carries keys: it is never logged, and kept only encrypted at rest.
 *
 * @param deviceId the gateway whose scope this is
 * @param version changes whenever the scope changes (larger is newer, from one hub)
 * @param devices its descendants, parents before their children
 */
public record DeviceScope(String deviceId, long version, List<Device> devices) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A device in a scope.
     *
     * @param deviceId its id
     * @param parentId its parent: the scope's gateway or another device of the scope
     * @param enabled false while disabled at the hub (it is refused)
     * @param edge whether it is a gateway itself (it has children or module identities at the hub)
     * @param primaryKey its primary key (Base64), or null (X.509 only)
     * @param secondaryKey its secondary key, or null
     * @param primaryThumbprint the SHA-256 thumbprint of its certificate (upper-case hex), or null
     * @param secondaryThumbprint a second one, or null
     * @param modules the module identities the hub holds for it (a gateway's modules), without {@code $edgeAgent}
     *            and {@code $edgeHub}, which use the device's credentials
     */
    public record Device(String deviceId, String parentId, boolean enabled, boolean edge, String primaryKey,
            String secondaryKey, String primaryThumbprint, String secondaryThumbprint, List<Module> modules) {
        public Device {
            requireId(deviceId, "deviceId");
            requireId(parentId, "parentId");
            modules = List.copyOf(modules);
        }

        @Override
        public String toString() {
            // No keys in logs.
            return "Device[" + deviceId + " under " + parentId + (enabled ? "" : ", disabled") + (edge ? ", edge" : "")
                    + "]";
        }
    }

    /**
     * A module identity of a device in a scope.
     *
     * @param moduleId the module
     * @param primaryKey its primary key (Base64)
     * @param secondaryKey its secondary key, or null
     */
    public record Module(String moduleId, String primaryKey, String secondaryKey) {
        public Module {
            requireId(moduleId, "moduleId");
        }

        @Override
        public String toString() {
            return "Module[" + moduleId + "]";
        }
    }

    public DeviceScope {
        requireId(deviceId, "deviceId");
        devices = List.copyOf(devices);
    }

    /** @return the device of this scope with this id, if there is one */
    public Optional<Device> device(String id) {
        return devices.stream().filter(d -> d.deviceId().equals(id)).findFirst();
    }

    /**
     * @param id a device id
     * @param ancestor another device id (the scope's gateway, or a device in it)
     * @return whether {@code id} is in this scope and below {@code ancestor} (a child, a grandchild, ...); false for
     *         {@code id == ancestor}
     */
    public boolean isBelow(String id, String ancestor) {
        Map<String, String> parents = new LinkedHashMap<>();
        devices.forEach(d -> parents.put(d.deviceId(), d.parentId()));
        String at = parents.get(id);
        for (int hops = 0; at != null && hops <= devices.size(); hops++) {
            if (at.equals(ancestor)) {
                return true;
            }
            at = parents.get(at);
        }
        return false;
    }

    /**
     * @param gateway a device of this scope
     * @return the part of this scope below {@code gateway}, as the scope of {@code gateway} (what a parent gateway
     *         answers its child gateway)
     */
    public DeviceScope below(String gateway) {
        return new DeviceScope(gateway, version, devices.stream().filter(d -> isBelow(d.deviceId(), gateway))
                .toList());
    }

    /** @return its JSON (with keys) */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("deviceId", deviceId);
        root.put("version", version);
        ArrayNode list = root.putArray("devices");
        for (Device d : devices) {
            ObjectNode n = list.addObject();
            n.put("deviceId", d.deviceId());
            n.put("parentId", d.parentId());
            n.put("enabled", d.enabled());
            n.put("edge", d.edge());
            n.put("primaryKey", d.primaryKey());
            n.put("secondaryKey", d.secondaryKey());
            n.put("primaryThumbprint", d.primaryThumbprint());
            n.put("secondaryThumbprint", d.secondaryThumbprint());
            ArrayNode modules = n.putArray("modules");
            for (Module m : d.modules()) {
                modules.addObject().put("moduleId", m.moduleId()).put("primaryKey", m.primaryKey())
                        .put("secondaryKey", m.secondaryKey());
            }
        }
        return root.toString();
    }

    /**
     * @param json a scope's JSON
     * @return the scope
     * @throws IllegalArgumentException saying what is wrong and where (a JSON path), if it is not a scope
     */
    public static DeviceScope parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("a device scope is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a device scope is a JSON object");
        }
        String gateway = text(root, "deviceId", "$", true);
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToLong()) {
            throw new IllegalArgumentException("$.version: a device scope needs a version (a number)");
        }
        JsonNode list = root.path("devices");
        if (!list.isArray()) {
            throw new IllegalArgumentException("$.devices: a device scope needs a list of devices");
        }
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String at = "$.devices[" + i + "]";
            JsonNode modulesNode = d.path("modules");
            List<Module> modules = new ArrayList<>();
            for (int j = 0; j < modulesNode.size(); j++) {
                JsonNode m = modulesNode.get(j);
                String mat = at + ".modules[" + j + "]";
                modules.add(new Module(text(m, "moduleId", mat, true), text(m, "primaryKey", mat, true),
                        text(m, "secondaryKey", mat, false)));
            }
            try {
                devices.add(new Device(text(d, "deviceId", at, true), text(d, "parentId", at, true), d.path("enabled")
                        .asBoolean(false), d.path("edge").asBoolean(false), text(d, "primaryKey", at, false),
                        text(d, "secondaryKey", at, false), text(d, "primaryThumbprint", at, false),
                        text(d, "secondaryThumbprint", at, false), modules));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return new DeviceScope(gateway, version.asLong(), devices);
    }

    private static String text(JsonNode node, String field, String at, boolean needed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (needed) {
                throw new IllegalArgumentException(at + "." + field + " is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(at + "." + field + " is not a string");
        }
        return v.asText();
    }

    private static void requireId(String id, String what) {
        Objects.requireNonNull(id, what);
        if (id.isEmpty() || id.contains("/")) {
            throw new IllegalArgumentException(what + " '" + id + "' is empty or has a '/'");
        }
    }

    @Override
    public String toString() {
        return "DeviceScope[" + deviceId + ", version " + version + ", " + devices.size() + " devices]";
    }
}
