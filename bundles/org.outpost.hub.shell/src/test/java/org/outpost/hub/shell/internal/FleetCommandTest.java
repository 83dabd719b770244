/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.Fleet;

class FleetCommandTest {

    private static final Instant HUB_START = Instant.parse("2026-01-01T08:00:00Z");

    @Test
    void aDeploymentFailedOnADeviceIsCountedBesideTheModulesFailingNowEachNamed() {
        Fleet.Health h = new Fleet.Health(2, 2, 0, 1, List.of(), List.of(new Fleet.FailedDeployment("gw2",
                "plant-1", "400 routes.r1: no module 'x'")));

        assertThat(FleetCommand.summary(h, 259, HUB_START)).containsExactly(
                "2 devices, 2 connected, 0 disabled; 1 deployments",
                "Modules failing now: 0",
                "Devices on which a deployment failed: 1 (a refused or rolled-back deployment leaves the device"
                        + " running its last good one, so its modules need not be failing)",
                "Telemetry received since this hub started (2026-01-01T08:00:00Z): 259 messages; a device's count"
                        + " (hub:device, hub:devices) is its total since it was registered, kept across restarts");
    }

    @Test
    void withNothingFailedTheCountsStayShort() {
        Fleet.Health h = new Fleet.Health(1, 0, 0, 0, List.of(), List.of());

        assertThat(FleetCommand.summary(h, 0, HUB_START)).contains("Devices on which a deployment failed: 0");
    }
}
