/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.outpost.hub.internal.TestDeployments.base;
import static org.outpost.hub.internal.TestDeployments.layer;
import static org.outpost.hub.internal.TestDeployments.parse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinLimits;

/** The reconciler over the real registry and twin store (the embedded database in a temporary directory). */
class DeploymentReconcilerTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private TwinStore twins;
    private DeploymentRepository repository;
    private final List<HubDeployment> deployments = new CopyOnWriteArrayList<>();
    private DeploymentReconciler reconciler;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        // Small sections, so that a deployment can be too big for a twin.
        twins = new TwinStore(db, devices, TwinLimits.of(2, 10, 1, 1024));
        devices.create("gw1");
        twins.patchTags("gw1", "{\"env\": \"prod\"}");
        repository = new DeploymentRepository(db);
        reconciler = new DeploymentReconciler(repository, twins, () -> deployments);
    }

    @AfterEach
    void tearDown() throws Exception {
        reconciler.close();
        devices.deactivate();
        db.close();
    }

    private long version(String module) {
        return twins.twin("gw1", module).desiredVersion();
    }

    @Test
    void aDeviceGetsTheTwinsItsBaseAndLayersAddUpTo() {
        deployments.add(parse(base("base", 1, "tags.env = 'prod'", "filter")));
        deployments.add(parse(layer("probe", 5, "tags.env = 'prod'", "probe", "{\"interval\": 5}")));
        reconciler.apply("gw1");
        assertThat(twins.twin("gw1", "$edgeAgent").desired()).contains("\"filter\"", "\"probe\"");
        assertThat(twins.twin("gw1", "probe").desired()).contains("\"interval\":5");
        DeploymentRepository.Applied applied = repository.applied("gw1").orElseThrow();
        assertThat(applied.effective().base()).contains("base");
        assertThat(applied.effective().layers()).containsExactly("probe");
        assertThat(applied.identities()).containsExactly("$edgeAgent", "$edgeHub", "probe");
        assertThat(applied.error()).isNull();
    }

    @Test
    void aTwinThatHoldsWhatItShouldIsNotWrittenAgain() {
        deployments.add(parse(base("base", 1, "tags.env = 'prod'", "filter")));
        reconciler.apply("gw1");
        long agent = version("$edgeAgent");
        long hub = version("$edgeHub");
        reconciler.apply("gw1");
        assertThat(version("$edgeAgent")).isEqualTo(agent);
        assertThat(version("$edgeHub")).isEqualTo(hub);
    }

    @Test
    void aModuleTwinNoLayerSetsAnyMoreIsCleared() {
        deployments.add(parse(base("base", 1, "tags.env = 'prod'", "filter")));
        HubDeployment probe = parse(layer("probe", 5, "tags.env = 'prod'", "probe", "{\"interval\": 5}"));
        deployments.add(probe);
        reconciler.apply("gw1");
        deployments.remove(probe);
        reconciler.apply("gw1");
        assertThat(twins.twin("gw1", "probe").desired()).doesNotContain("interval");
        assertThat(twins.twin("gw1", "$edgeAgent").desired()).doesNotContain("\"probe\"");
        assertThat(repository.applied("gw1").orElseThrow().identities()).doesNotContain("probe");
    }

    @Test
    void withoutABaseTheTwinsKeepWhatTheyHadAndNoBaseIsKept() {
        HubDeployment base = parse(base("base", 1, "tags.env = 'prod'", "filter"));
        deployments.add(base);
        reconciler.apply("gw1");
        long agent = version("$edgeAgent");
        deployments.remove(base);
        reconciler.apply("gw1");
        assertThat(version("$edgeAgent")).isEqualTo(agent);
        assertThat(repository.applied("gw1").orElseThrow().effective().base()).isEmpty();
    }

    @Test
    void aDeviceNoDeploymentEverTargetedGetsNothing() {
        deployments.add(parse(base("base", 1, "tags.env = 'test'", "filter")));
        reconciler.apply("gw1");
        assertThat(repository.applied("gw1")).isEmpty();
        assertThat(version("$edgeAgent")).isEqualTo(1);
    }

    @Test
    void anIdentityTheHubCannotSetIsTheDevicesErrorAndTheOthersAreStillSet() {
        deployments.add(parse(base("base", 1, "tags.env = 'prod'", "filter")));
        deployments.add(parse(layer("big", 5, "tags.env = 'prod'", "big", "{\"blob\": \"" + "x".repeat(3000)
                + "\"}")));
        reconciler.apply("gw1");
        DeploymentRepository.Applied applied = repository.applied("gw1").orElseThrow();
        assertThat(applied.error()).startsWith("the hub could not set big: ");
        assertThat(applied.identities()).contains("big");
        assertThat(twins.twin("gw1", "$edgeAgent").desired()).contains("\"filter\"");
    }

    @Test
    void scheduledDevicesAreRecomputedInTheBackgroundAndAGoneOneIsSkipped() {
        devices.create("gw2");
        deployments.add(parse(base("everyone", 1, "deviceId IN ['gw1', 'gw2', 'ghost']", "filter")));
        reconciler.schedule(List.of("gw1", "gw2", "ghost", "gw1"));
        await().atMost(Duration.ofSeconds(10)).until(reconciler::idle);
        assertThat(repository.allApplied()).containsOnlyKeys("gw1", "gw2");
    }

    @Test
    void aForgottenDeviceNoLongerWaitsToBeRecomputed() throws Exception {
        // Stopped: what is scheduled waits (for the next start of the hub).
        reconciler.close();
        reconciler.schedule(List.of("gw1", "gw2"));
        assertThat(reconciler.idle()).isFalse();
        reconciler.forget("gw1");
        reconciler.forget("gw1");
        assertThat(reconciler.idle()).isFalse();
        reconciler.forget("gw2");
        assertThat(reconciler.idle()).isTrue();
    }
}
