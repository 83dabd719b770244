/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.outpost.hub.internal.TestDeployments.base;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinLimits;

/** The fleet's health over the real registry, twins and deployments (the embedded database in a temporary folder). */
class FleetHealthTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private TwinStore twins;
    private FleetDeployer deployer;
    private FleetHealth fleet;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        twins = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        for (String d : new String[] {"gw1", "gw2"}) {
            devices.create(d);
            twins.patchTags(d, "{\"site\": \"plant-1\"}");
        }
        deployer = new FleetDeployer(db, devices, twins);
        fleet = new FleetHealth(devices, twins, deployer);
        deployer.create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        await().atMost(Duration.ofSeconds(10)).until(() -> deployer.deployment("plant-1").orElseThrow().applied()
                .size() == 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        deployer.deactivate();
        devices.deactivate();
        db.close();
    }

    private void report(String device, String statusAndModules) {
        long version = twins.twin(device, "$edgeAgent").desiredVersion();
        twins.patchReported(device, "$edgeAgent", "{\"lastDesiredVersion\": " + version + ", " + statusAndModules
                + "}");
    }

    @Test
    void aRefusedDeploymentCountsAsFailedBesideNoFailingModuleAndSaysWhy() {
        report("gw1", "\"lastDesiredStatus\": {\"code\": 200}, \"modules\": {\"filter\": {\"runtimeStatus\":"
                + " \"running\"}}");
        report("gw2", "\"lastDesiredStatus\": {\"code\": 400, \"description\": \"400 routes.r1: no module 'x'\"},"
                + " \"modules\": {\"sensor\": {\"runtimeStatus\": \"running\"}}");

        Fleet.Health h = fleet.health();

        assertThat(h.failingModules()).isEmpty();
        assertThat(h.failedDeployments()).containsExactly(new Fleet.FailedDeployment("gw2", "plant-1",
                "400 routes.r1: no module 'x'"));
    }

    @Test
    void aFailingModuleOfADeploymentShowsInBothCounts() {
        report("gw1", "\"lastDesiredStatus\": {\"code\": 200}, \"modules\": {\"filter\": {\"runtimeStatus\":"
                + " \"failed\", \"statusDescription\": \"exited 20 times\"}}");

        Fleet.Health h = fleet.health();

        assertThat(h.failingModules()).extracting(Fleet.FailingModule::deviceId).containsExactly("gw1");
        assertThat(h.failedDeployments()).containsExactly(new Fleet.FailedDeployment("gw1", "plant-1",
                "module filter is failed: exited 20 times"));
        assertThat(h.devices()).isEqualTo(2);
        assertThat(h.deployments()).isEqualTo(1);
    }
}
