/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;

class UnroutedTest {

    private final Unrouted unrouted = new Unrouted(Stub.of(DeviceRegistry.class).on("device", a -> a[0].equals("d1")
            ? Optional.of(new Device("d1", Instant.EPOCH, null, 0, true, 0, false)) : Optional.empty()).build());

    private String said(String method, String path) {
        ApiException e = unrouted.refusal(method, path);
        return e.status() + " " + e.getMessage();
    }

    @Test
    void anythingOutsideTheNounsPointsToTheDescription() {
        assertThat(said("GET", "/nothing")).isEqualTo("404 no such resource: GET /api/nothing (see /api/openapi.json)");
        assertThat(said("POST", "/fleet")).isEqualTo("404 no such resource: POST /api/fleet (see /api/openapi.json)");
        assertThat(said("GET", "/")).isEqualTo("404 no such resource: GET /api (see /api/openapi.json)");
    }

    @Test
    void theDeviceListAndADeviceSayWhichMethodTheyRefuse() {
        assertThat(said("POST", "/devices")).isEqualTo("405 POST is not allowed on /api/devices");
        assertThat(said("HEAD", "/devices/d1")).isEqualTo("405 HEAD is not allowed on a device");
        assertThat(said("POST", "/deployments/x")).isEqualTo("405 POST is not allowed on a deployment");
    }

    @Test
    void aTwinOrTagsOfAnUnknownDeviceIsThatDeviceMissingFirst() {
        assertThat(said("DELETE", "/devices/nope/twin")).isEqualTo("404 no device 'nope'");
        assertThat(said("DELETE", "/devices/nope/tags")).isEqualTo("404 no device 'nope'");
        assertThat(said("DELETE", "/devices/d1/twin")).isEqualTo("405 DELETE is not allowed on a twin (GET, PATCH)");
        assertThat(said("POST", "/devices/d1/modules/m/twin"))
                .isEqualTo("405 POST is not allowed on a twin (GET, PATCH)");
        assertThat(said("DELETE", "/devices/d1/tags")).isEqualTo("404 no such resource: DELETE /api/devices/d1/tags");
    }

    @Test
    void otherPathsUnderANounAreNoSuchResourceWithoutThePointer() {
        assertThat(said("GET", "/devices/d1/keys/primary/rotate"))
                .isEqualTo("404 no such resource: GET /api/devices/d1/keys/primary/rotate");
        assertThat(said("POST", "/devices/nope/telemetry"))
                .isEqualTo("404 no such resource: POST /api/devices/nope/telemetry");
        assertThat(said("POST", "/deployments")).isEqualTo("405 POST is not allowed on /api/deployments: create a"
                + " deployment with PUT /api/deployments/{deploymentId} (see /api/openapi.json)");
        assertThat(said("GET", "/deployments/d/x")).isEqualTo("404 no such resource: GET /api/deployments/d/x");
    }
}
