/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetResourceTest {

    @Test
    void theFleetIsItsHealthWithTheTelemetryReceivedInTheOrderTheApiAlwaysGaveIt() throws Exception {
        FakeHub hub = new FakeHub();
        hub.add("a", null);
        String json = ApiJson.MAPPER.writeValueAsString(new FleetResource(hub.fleet(), hub.telemetry()).health());
        assertThat(json).isEqualTo("{\n  \"devices\" : 1,\n  \"connected\" : 0,\n  \"disabled\" : 0,\n"
                + "  \"deployments\" : 1,\n  \"telemetryReceived\" : 42,\n  \"failingModules\" : [ ]\n}");
    }
}
