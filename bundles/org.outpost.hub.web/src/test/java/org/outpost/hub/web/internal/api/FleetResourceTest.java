/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.Fleet;

class FleetResourceTest {

    @Test
    void theFleetIsItsHealthWithTheTelemetryReceivedInTheOrderTheApiAlwaysGaveIt() throws Exception {
        FakeHub hub = new FakeHub();
        hub.add("a", null);
        String json = ApiJson.MAPPER.writeValueAsString(new FleetResource(hub.fleet(), hub.telemetry()).health());
        assertThat(json).isEqualTo("{\n  \"devices\" : 1,\n  \"connected\" : 0,\n  \"disabled\" : 0,\n"
                + "  \"deployments\" : 1,\n  \"telemetryReceived\" : 42,\n"
                + "  \"telemetryReceivedSince\" : \"2026-01-01T08:00:00Z\",\n  \"failingModules\" : [ ],\n"
                + "  \"failedDeployments\" : [ {\n    \"deviceId\" : \"a\",\n    \"deploymentId\" : \"plant-1\",\n"
                + "    \"reason\" : \"400 routes.r1: no such module\"\n  } ]\n}");
    }

    @Test
    void theTelemetryCountSaysSinceWhenItCountsAndTheFailedDeploymentsStandBesideTheFailingModules()
            throws Exception {
        FakeHub hub = new FakeHub();
        hub.add("a", null);
        FleetResource.Health h = new FleetResource(hub.fleet(), hub.telemetry()).health();
        assertThat(h.telemetryReceivedSince()).isEqualTo("2026-01-01T08:00:00Z");
        assertThat(h.failingModules()).isEmpty();
        assertThat(h.failedDeployments()).extracting(Fleet.FailedDeployment::deviceId).containsExactly("a");
    }
}
