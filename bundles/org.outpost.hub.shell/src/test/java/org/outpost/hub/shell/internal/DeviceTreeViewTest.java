/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.Device;

class DeviceTreeViewTest {

    private static Device device(String id, String parent, int connections) {
        return new Device(id, Instant.EPOCH, null, 0, true, connections, false, parent);
    }

    private final List<Device> devices = List.of(device("top", null, 1), device("mid", "top", 1),
            device("leaf-b", "mid", 0), device("leaf-a", "mid", 0), device("other", null, 0),
            device("sibling", "top", 0));

    @Test
    void theTreeIsDrawnWithEachGatewaysChildrenBelowItSiblingsById() {
        assertThat(DeviceTreeView.lines(devices)).containsExactly(
                "other (enabled, disconnected)",
                "top (enabled, connected)",
                "├── mid (enabled, connected)",
                "│   ├── leaf-a (enabled, disconnected)",
                "│   └── leaf-b (enabled, disconnected)",
                "└── sibling (enabled, disconnected)");
    }

    @Test
    void asJsonEachDeviceCarriesItsChildren() {
        List<Map<String, Object>> roots = DeviceTreeView.nested(devices);

        assertThat(roots).extracting(r -> r.get("deviceId")).containsExactly("other", "top");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> below = (List<Map<String, Object>>) roots.get(1).get("children");
        assertThat(below).extracting(r -> r.get("deviceId")).containsExactly("mid", "sibling");
    }
}
