/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.outpost.deployment.internal.Specs.running;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleState;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.RestartPolicy;

class SupervisorTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final List<String> calls = new ArrayList<>();
    private final FakeKind kind = new FakeKind(calls);
    private final ModuleKinds kinds = new ModuleKinds();
    private final List<String> started = new ArrayList<>();
    private final FakeTime time = new FakeTime(T0);
    private final ModuleClaims claims = new ModuleClaims();
    private volatile DeploymentManifest deployed = Specs.deployment(null);
    private final Supervisor supervisor = new Supervisor(kinds, new HealthProbes(null, Duration.ofSeconds(5), 2,
            time), new Supervisor.Settings(Duration.ofSeconds(10), Duration.ofSeconds(300), 2, Duration.ofMinutes(10),
                    Duration.ofMinutes(60)), () -> deployed, claims, started::add, time, time.wall());

    SupervisorTest() {
        kinds.add("bundle", kind);
    }

    /** The supervisor looks at {@code modules} as the running deployment, {@code seconds} after T0. */
    private void tick(long seconds, ModuleSpec... modules) {
        deployed = Specs.deployment(null, modules);
        time.set(seconds);
        supervisor.tick();
    }

    @AfterEach
    void close() {
        supervisor.close();
    }

    @Test
    void aFailedModuleWaitsItsBackOffAndIsThenRestarted() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);

        tick(0, pump);
        assertThat(supervisor.view("pump")).isEqualTo("backoff");
        tick(9, pump);
        assertThat(calls).isEmpty();

        tick(10, pump);
        assertThat(calls).containsExactly("restart pump");
        assertThat(started).containsExactly("pump");
        assertThat(supervisor.clock("pump").restarts()).isEqualTo(1);
    }

    @Test
    void aModulePullingItsImageIsNotDownAndShowsAsPulling() {
        ModuleSpec cam = running("cam", ModuleType.BUNDLE);
        kind.states.put("cam", ModuleState.FAILED);
        tick(0, cam);
        assertThat(supervisor.view("cam")).isEqualTo("backoff");

        kind.states.put("cam", ModuleState.PULLING);
        tick(60, cam);

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("cam")).isNull();
    }

    @Test
    void aModuleThatRunsAgainLosesTheSupervisorsView() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        tick(0, pump);

        kind.states.put("pump", ModuleState.RUNNING);
        tick(1, pump);

        assertThat(supervisor.view("pump")).isNull();
    }

    @Test
    void aModuleThatUsedUpItsRestartsIsGivenUp() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        tick(0, pump);
        tick(10, pump);
        tick(11, pump);
        tick(31, pump);

        tick(31 + 3599, pump);

        assertThat(calls).containsExactly("restart pump", "restart pump");
        assertThat(supervisor.view("pump")).isEqualTo("failed");
        assertThat(supervisor.clock("pump").givenUp()).isTrue();
    }

    @Test
    void aModuleRemovedBehindTheDeploymentsBackIsPutBackByItsPolicyAfterItsBackOff() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        kind.dead.put("pump", "its bundle is not installed");

        tick(0, pump);
        assertThat(supervisor.view("pump")).isEqualTo("dead");
        assertThat(calls).isEmpty();

        tick(10, pump);
        assertThat(calls).containsExactly("restart pump");
        assertThat(started).containsExactly("pump");
        assertThat(supervisor.clock("pump").restarts()).isEqualTo(1);
    }

    @Test
    void underNeverADeadModuleStaysDead() {
        ModuleSpec pump = Specs.module("pump", ModuleType.BUNDLE, DesiredStatus.RUNNING, RestartPolicy.NEVER,
                Map.of());
        kind.states.put("pump", ModuleState.FAILED);
        kind.dead.put("pump", "its bundle is not installed");

        tick(0, pump);
        tick(600, pump);

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("pump")).isEqualTo("dead");
    }

    @Test
    void underOnFailureAModuleStoppedOnItsOwnIsLeftStopped() {
        ModuleSpec pump = Specs.module("pump", ModuleType.BUNDLE, DesiredStatus.RUNNING, RestartPolicy.ON_FAILURE,
                Map.of());
        kind.states.put("pump", ModuleState.STOPPED);

        tick(0, pump);
        tick(600, pump);

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("pump")).isEqualTo("failed");
    }

    @Test
    void modulesThatShouldBeStoppedOrWhoseKindIsGoneAreLeftAlone() {
        ModuleSpec stopped = Specs.module("off", ModuleType.BUNDLE, DesiredStatus.STOPPED, RestartPolicy.ALWAYS,
                Map.of());
        ModuleSpec orphan = running("script", ModuleType.CONTAINER);
        kind.states.put("off", ModuleState.STOPPED);

        tick(0, stopped, orphan);
        tick(600, stopped, orphan);

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("off")).isNull();
        assertThat(supervisor.clock("script")).isNull();
    }

    @Test
    void aModuleChangedByADeploymentStartsItsStatisticsAfresh() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        tick(0, pump);
        tick(10, pump);

        supervisor.forget("pump");

        assertThat(supervisor.clock("pump")).isNull();
        assertThat(supervisor.view("pump")).isNull();
    }

    @Test
    void aWallClockSteppedForwardNeitherEndsABackOffNorRetriesAGivenUpModuleEarly() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        tick(0, pump);

        // NTP steps the wall clock a day forward; one second passes.
        time.jumpWall(Duration.ofDays(1));
        tick(1, pump);
        assertThat(calls).isEmpty();
        assertThat(supervisor.view("pump")).isEqualTo("backoff");

        // The back-off ends on the monotonic clock; the restart is stamped with the (stepped) wall time.
        tick(10, pump);
        assertThat(calls).containsExactly("restart pump");
        assertThat(supervisor.clock("pump").lastRestart()).isEqualTo(T0.plus(Duration.ofDays(1)).plusSeconds(10));

        // Given up after its two restarts: another day on the wall clock does not bring the hourly retry forward.
        tick(11, pump);
        tick(31, pump);
        time.jumpWall(Duration.ofDays(1));
        tick(40, pump);
        assertThat(calls).containsExactly("restart pump", "restart pump");
        assertThat(supervisor.view("pump")).isEqualTo("failed");
    }

    @Test
    void aModuleADeploymentHoldsIsLeftAloneAndTheOthersAreStillRestarted() throws Exception {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        ModuleSpec fan = running("fan", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        kind.states.put("fan", ModuleState.FAILED);
        claims.claim(List.of("pump"));

        tick(0, pump, fan);
        tick(10, pump, fan);

        assertThat(calls).containsExactly("restart fan");
        assertThat(supervisor.clock("pump")).isNull();

        claims.release(List.of("pump"));
        tick(11, pump, fan);
        tick(21, pump, fan);
        assertThat(calls).containsExactly("restart fan", "restart pump");
    }

    @Test
    void aModuleNoLongerInTheRunningDeploymentIsNotPutBack() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.dead.put("pump", "its bundle is not installed");
        kind.states.put("pump", ModuleState.FAILED);
        deployed = Specs.deployment(null);

        // A look that began with pump in the deployment, which a deployment then removed: claims refuse it.
        assertThat(claims.trySupervise(pump, () -> deployed)).isFalse();
        assertThat(calls).isEmpty();
    }
}
