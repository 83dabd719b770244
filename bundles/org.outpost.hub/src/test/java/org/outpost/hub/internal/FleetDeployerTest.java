/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.outpost.hub.internal.TestDeployments.base;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinLimits;

/** The fleet deployer over the real registry and twin store (the embedded database in a temporary directory). */
class FleetDeployerTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private TwinStore twins;
    private FleetDeployer deployer;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        twins = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        for (String[] d : new String[][] {{"gw1", "plant-1", "prod"}, {"gw2", "plant-1", "test"},
                {"gw3", "plant-2", "prod"}}) {
            devices.create(d[0]);
            twins.patchTags(d[0], "{\"site\": \"" + d[1] + "\", \"env\": \"" + d[2] + "\"}");
        }
        deployer = new FleetDeployer(db, devices, twins);
    }

    @AfterEach
    void tearDown() throws Exception {
        deployer.deactivate();
        devices.deactivate();
        db.close();
    }

    private String agentModules(String device) {
        return twins.twin(device, "$edgeAgent").desired();
    }

    private void settle() {
        await().atMost(Duration.ofSeconds(10)).until(deployer::idle);
    }

    @Test
    void aDeploymentReachesExactlyTheDevicesItsConditionTargets() {
        DeploymentStatus created = deployer.create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        assertThat(created.targeted()).containsExactly("gw1", "gw2");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployer.deployment("plant-1").orElseThrow().applied()
                .size() == 2);
        assertThat(agentModules("gw1")).contains("\"filter\"");
        assertThat(agentModules("gw2")).contains("\"filter\"");
        assertThat(twins.twin("gw3", "$edgeAgent").desiredVersion()).isEqualTo(1);
        assertThat(deployer.deployment("plant-1").orElseThrow().pending()).containsExactly("gw1", "gw2");
    }

    @Test
    void layersAddToTheirSubsetAndAHigherPriorityReplacesALowerOne() {
        deployer.create(base("everyone", 1, "tags.env IN ['prod', 'test']", "filter"));
        deployer.create("{\"id\": \"extra\", \"layered\": true, \"priority\": 5, \"targetCondition\": \"tags.env ="
                + " 'prod'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired.modules.probe\":"
                + " {\"type\": \"container\", \"settings\": {\"command\": \"sleep 1000\"}}}, \"probe\":"
                + " {\"properties.desired\": {\"interval\": 5}}}}}");
        settle();
        assertThat(agentModules("gw1")).contains("\"filter\"", "\"probe\"");
        assertThat(agentModules("gw2")).contains("\"filter\"").doesNotContain("\"probe\"");
        assertThat(twins.twin("gw3", "probe").desired()).contains("\"interval\":5");

        deployer.create(base("plant-2-v2", 20, "tags.site = 'plant-2'", "analytics"));
        settle();
        assertThat(agentModules("gw3")).contains("\"analytics\"", "\"probe\"").doesNotContain("\"filter\"");
        assertThat(deployer.applied("gw3").base()).contains("plant-2-v2");
        assertThat(deployer.applied("gw3").layers()).containsExactly("extra");
        assertThat(deployer.deployment("everyone").orElseThrow().applied()).containsExactly("gw1", "gw2");

        // Retagging moves a device; the module twin a layer set is cleared when the layer no longer applies.
        twins.patchTags("gw3", "{\"env\": \"test\"}");
        settle();
        assertThat(agentModules("gw3")).contains("\"analytics\"").doesNotContain("\"probe\"");
        assertThat(twins.twin("gw3", "probe").desired()).doesNotContain("interval");
        assertThat(deployer.deployment("extra").orElseThrow().applied()).containsExactly("gw1");
    }

    @Test
    void unchangedTwinsAreNotWrittenAgain() throws Exception {
        deployer.create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        settle();
        long version = twins.twin("gw1", "$edgeAgent").desiredVersion();
        // A change that does not affect gw1's deployments, and a restart: no new desired version.
        twins.patchTags("gw1", "{\"floor\": 2}");
        deployer.deactivate();
        deployer = new FleetDeployer(db, devices, twins);
        settle();
        assertThat(twins.twin("gw1", "$edgeAgent").desiredVersion()).isEqualTo(version);
        assertThat(deployer.applied("gw1").base()).contains("plant-1");
    }

    @Test
    void statusComesFromWhatTheDevicesReport() {
        deployer.create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        settle();
        long v1 = twins.twin("gw1", "$edgeAgent").desiredVersion();
        long v2 = twins.twin("gw2", "$edgeAgent").desiredVersion();
        twins.patchReported("gw1", "$edgeAgent", "{\"lastDesiredVersion\": " + v1 + ", \"lastDesiredStatus\":"
                + " {\"code\": 200}, \"modules\": {\"filter\": {\"runtimeStatus\": \"running\"}}}");
        twins.patchReported("gw2", "$edgeAgent", "{\"lastDesiredVersion\": " + v2 + ", \"lastDesiredStatus\":"
                + " {\"code\": 200}, \"modules\": {\"filter\": {\"runtimeStatus\": \"failed\", \"statusDescription\":"
                + " \"exited 20 times\"}}}");
        DeploymentStatus s = deployer.deployment("plant-1").orElseThrow();
        assertThat(s.succeeded()).containsExactly("gw1");
        assertThat(s.failed()).containsEntry("gw2", "module filter is failed: exited 20 times");

        twins.patchReported("gw1", "$edgeAgent", "{\"lastDesiredVersion\": " + v1 + ", \"lastDesiredStatus\":"
                + " {\"code\": 417, \"description\": \"feature x does not resolve\"}}");
        assertThat(deployer.deployment("plant-1").orElseThrow().failed()).containsEntry("gw1",
                "417 feature x does not resolve");
    }

    @Test
    void aNewDeviceGetsTheDeploymentsThatTargetIt() {
        deployer.create(base("by-id", 0, "deviceId = 'gw9'", "filter"));
        devices.create("gw9");
        await().atMost(Duration.ofSeconds(10)).until(() -> deployer.applied("gw9").base().isPresent());
        assertThat(agentModules("gw9")).contains("\"filter\"");
    }

    @Test
    void aRefusedOrDuplicateDeploymentChangesNothing() throws Exception {
        deployer.create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        assertThatThrownBy(() -> deployer.create(base("plant-1", 11, "tags.site = 'plant-2'", "x")))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("id: a deployment 'plant-1' exists");
        assertThatThrownBy(() -> deployer.create(base("bad", 1, "tags.site = ", "x")))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("targetCondition");
        assertThat(deployer.deployments()).extracting(s -> s.deployment().id()).containsExactly("plant-1");
        // A new deployer (a restart, or another hub node) finds only the deployment that was created.
        deployer.deactivate();
        deployer = new FleetDeployer(db, devices, twins);
        assertThat(deployer.deployments()).extracting(s -> s.deployment().id()).containsExactly("plant-1");
        assertThat(deployer.deployment("plant-1").orElseThrow().targeted()).containsExactly("gw1", "gw2");
    }

    @Test
    void aDeletedDeploymentLeavesItsDevicesRunningWhatTheyHad() {
        deployer.create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        settle();
        long version = twins.twin("gw1", "$edgeAgent").desiredVersion();
        assertThat(deployer.delete("plant-1")).isTrue();
        assertThat(deployer.delete("plant-1")).isFalse();
        settle();
        assertThat(twins.twin("gw1", "$edgeAgent").desiredVersion()).isEqualTo(version);
        assertThat(deployer.applied("gw1").base()).isEmpty();
        assertThat(deployer.deployments()).isEmpty();
    }

    @Test
    void wideningATargetConditionRollsTheDeploymentOutFurther() {
        deployer.create(base("rollout", 10, "deviceId = 'gw1'", "filter"));
        settle();
        assertThat(deployer.deployment("rollout").orElseThrow().applied()).containsExactly("gw1");
        DeploymentStatus s = deployer.update("rollout", "{\"targetCondition\": \"tags.env = 'prod'\", \"labels\":"
                + " {\"stage\": \"prod\"}}");
        assertThat(s.targeted()).containsExactly("gw1", "gw3");
        assertThat(s.deployment().labels()).containsEntry("stage", "prod");
        settle();
        assertThat(agentModules("gw3")).contains("\"filter\"");

        // Content cannot change; a bad condition is refused; nothing changes then.
        assertThatThrownBy(() -> deployer.update("rollout", "{\"content\": {}}")).isInstanceOf(
                DeploymentException.class).hasMessageStartingWith("content: cannot change");
        assertThatThrownBy(() -> deployer.update("rollout", "{\"targetCondition\": \"tags.env =\"}"))
                .hasMessageStartingWith("targetCondition: column");
        assertThatThrownBy(() -> deployer.update("none", "{\"priority\": 1}")).hasMessageContaining(
                "no deployment 'none'");
        assertThat(deployer.deployment("rollout").orElseThrow().deployment().targetCondition().toString())
                .isEqualTo("tags.env = 'prod'");
    }
}
