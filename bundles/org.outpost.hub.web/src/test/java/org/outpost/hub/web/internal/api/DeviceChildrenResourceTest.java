/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Parents and children through the API: parentId in the device JSON, set at creation or by a PATCH; children. */
class DeviceChildrenResourceTest {

    private final FakeHub hub = new FakeHub();
    private final DevicesResource devices = new DevicesResource(hub.registry(), hub.modules(), hub.twins(),
            hub.deployments(), hub.telemetry());
    private final DeviceChildrenResource children = new DeviceChildrenResource(hub.registry(), hub.twins(),
            hub.deployments(), hub.telemetry());

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeviceIsRegisteredBelowAGatewayAndTheListShowsParentsAndChildCounts() {
        hub.add("gw", null);

        Map<String, Object> created = FakeHub.map(devices.create("leaf", body("{\"parentId\": \"gw\"}"))
                .getEntity());

        assertThat(created).containsEntry("deviceId", "leaf").containsEntry("parentId", "gw").containsKey(
                "primaryKey");
        List<?> list = (List<?>) devices.list(null, null, null).getEntity();
        assertThat(list).extracting(d -> FakeHub.map(d).get("deviceId") + " " + FakeHub.map(d).get("parentId") + " "
                + FakeHub.map(d).get("childCount")).containsExactly("gw null 1", "leaf gw 0");
        assertThat(devices.device("gw")).containsEntry("children", List.of("leaf"));
    }

    @Test
    void anUnknownParentIsA400AtParentIdAndNothingIsRegistered() {
        assertThatThrownBy(() -> devices.create("leaf", body("{\"parentId\": \"ghost\"}"))).isInstanceOfSatisfying(
                ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.path()).isEqualTo("parentId");
                    assertThat(e.getMessage()).contains("no parent device 'ghost'");
                });
        assertThatThrownBy(() -> devices.create("leaf", body("{\"parentId\": 7}"))).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.path()).isEqualTo("parentId"));
        assertThat(hub.devices).doesNotContainKey("leaf");
    }

    @Test
    void aPatchMovesADeviceOrTakesItsParentAway() {
        hub.add("gw", null);
        hub.add("leaf", null);

        assertThat(devices.patch("leaf", body("{\"parentId\": \"gw\"}"))).containsEntry("parentId", "gw");
        assertThat(devices.patch("leaf", body("{\"parentId\": null}"))).containsEntry("parentId", null);
        assertThatThrownBy(() -> devices.patch("leaf", body("{\"parentId\": \"ghost\"}"))).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.path()).isEqualTo("parentId"));
        assertThat(hub.calls).containsExactly("parent leaf gw", "parent leaf null", "parent leaf ghost");
    }

    @Test
    void theChildrenOrEveryDeviceBelowAGatewayAreListed() {
        hub.add("top", null);
        hub.addBelow("mid", null, "top");
        hub.addBelow("leaf", null, "mid");

        assertThat(children.children("top", null)).extracting(d -> d.get("deviceId")).containsExactly("mid");
        assertThat(children.children("top", "true")).extracting(d -> d.get("deviceId")).containsExactly("leaf",
                "mid");
        assertThatThrownBy(() -> children.children("nobody", null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> children.children("top", "yes")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.path()).isEqualTo("descendants"));
    }
}
