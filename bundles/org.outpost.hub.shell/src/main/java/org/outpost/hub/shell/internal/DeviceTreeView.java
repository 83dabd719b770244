/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.outpost.hub.api.Device;

/**
 * The devices as their parent/child tree, for {@code hub:devices --tree}: lines drawn with box characters, or nested
 * JSON ({@code children} in each). Devices without a parent (or whose parent is not listed) are the roots; siblings
 * go by id.
 */
final class DeviceTreeView {

    private DeviceTreeView() {
    }

    /** @return the tree's lines: {@code gw (enabled, connected)}, then its children indented below it */
    static List<String> lines(List<Device> devices) {
        Map<String, List<Device>> children = children(devices);
        List<String> out = new ArrayList<>();
        for (Device root : roots(devices)) {
            out.add(label(root));
            draw(root, "", children, out, 0);
        }
        return out;
    }

    /** @return the roots, each {@code {deviceId, status, connectionState, children: [...]}} */
    static List<Map<String, Object>> nested(List<Device> devices) {
        Map<String, List<Device>> children = children(devices);
        return roots(devices).stream().map(d -> node(d, children, 0)).toList();
    }

    private static void draw(Device parent, String indent, Map<String, List<Device>> children, List<String> out,
            int depth) {
        List<Device> below = children.getOrDefault(parent.id(), List.of());
        for (int i = 0; i < below.size() && depth <= org.outpost.hub.api.DeviceRegistry.MAX_DEPTH; i++) {
            boolean last = i == below.size() - 1;
            out.add(indent + (last ? "└── " : "├── ") + label(below.get(i)));
            draw(below.get(i), indent + (last ? "    " : "│   "), children, out, depth + 1);
        }
    }

    private static Map<String, Object> node(Device d, Map<String, List<Device>> children, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.id());
        m.put("status", d.enabled() ? "enabled" : "disabled");
        m.put("connectionState", d.connectionState());
        m.put("children", depth > org.outpost.hub.api.DeviceRegistry.MAX_DEPTH ? List.of() : children.getOrDefault(
                d.id(), List.of()).stream().map(c -> node(c, children, depth + 1)).toList());
        return m;
    }

    private static String label(Device d) {
        return d.id() + " (" + (d.enabled() ? "enabled" : "disabled") + ", " + d.connectionState() + ")";
    }

    private static List<Device> roots(List<Device> devices) {
        Set<String> listed = devices.stream().map(Device::id).collect(Collectors.toSet());
        return devices.stream().filter(d -> d.parentId() == null || !listed.contains(d.parentId())).sorted(
                java.util.Comparator.comparing(Device::id)).toList();
    }

    private static Map<String, List<Device>> children(List<Device> devices) {
        Map<String, List<Device>> out = new TreeMap<>();
        devices.stream().sorted(java.util.Comparator.comparing(Device::id)).filter(d -> d.parentId() != null)
                .forEach(d -> out.computeIfAbsent(d.parentId(), p -> new ArrayList<>()).add(d));
        return out;
    }
}
