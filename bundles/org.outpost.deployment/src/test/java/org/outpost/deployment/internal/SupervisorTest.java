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
    private final Supervisor supervisor = new Supervisor(kinds, new HealthProbes(null, Duration.ofSeconds(5)),
            new Supervisor.Settings(Duration.ofSeconds(10), Duration.ofSeconds(300), 2, Duration.ofMinutes(10),
                    Duration.ZERO), started::add);

    SupervisorTest() {
        kinds.add("bundle", kind);
    }

    @AfterEach
    void close() {
        supervisor.close();
    }

    @Test
    void aFailedModuleWaitsItsBackOffAndIsThenRestarted() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);

        supervisor.tick(List.of(pump), T0);
        assertThat(supervisor.view("pump")).isEqualTo("backoff");
        supervisor.tick(List.of(pump), T0.plusSeconds(9));
        assertThat(calls).isEmpty();

        supervisor.tick(List.of(pump), T0.plusSeconds(10));
        assertThat(calls).containsExactly("restart pump");
        assertThat(started).containsExactly("pump");
        assertThat(supervisor.clock("pump").restarts()).isEqualTo(1);
    }

    @Test
    void aModulePullingItsImageIsNotDownAndShowsAsPulling() {
        ModuleSpec cam = running("cam", ModuleType.BUNDLE);
        kind.states.put("cam", ModuleState.FAILED);
        supervisor.tick(List.of(cam), T0);
        assertThat(supervisor.view("cam")).isEqualTo("backoff");

        kind.states.put("cam", ModuleState.PULLING);
        supervisor.tick(List.of(cam), T0.plusSeconds(60));

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("cam")).isNull();
    }

    @Test
    void aModuleThatRunsAgainLosesTheSupervisorsView() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        supervisor.tick(List.of(pump), T0);

        kind.states.put("pump", ModuleState.RUNNING);
        supervisor.tick(List.of(pump), T0.plusSeconds(1));

        assertThat(supervisor.view("pump")).isNull();
    }

    @Test
    void aModuleThatUsedUpItsRestartsIsGivenUp() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        supervisor.tick(List.of(pump), T0);
        supervisor.tick(List.of(pump), T0.plusSeconds(10));
        supervisor.tick(List.of(pump), T0.plusSeconds(11));
        supervisor.tick(List.of(pump), T0.plusSeconds(31));

        supervisor.tick(List.of(pump), T0.plusSeconds(86_400));

        assertThat(calls).containsExactly("restart pump", "restart pump");
        assertThat(supervisor.view("pump")).isEqualTo("failed");
        assertThat(supervisor.clock("pump").givenUp()).isTrue();
    }

    @Test
    void aModuleRemovedBehindTheDeploymentsBackIsPutBackByItsPolicyAfterItsBackOff() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        kind.dead.put("pump", "its bundle is not installed");

        supervisor.tick(List.of(pump), T0);
        assertThat(supervisor.view("pump")).isEqualTo("dead");
        assertThat(calls).isEmpty();

        supervisor.tick(List.of(pump), T0.plusSeconds(10));
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

        supervisor.tick(List.of(pump), T0);
        supervisor.tick(List.of(pump), T0.plusSeconds(600));

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("pump")).isEqualTo("dead");
    }

    @Test
    void underOnFailureAModuleStoppedOnItsOwnIsLeftStopped() {
        ModuleSpec pump = Specs.module("pump", ModuleType.BUNDLE, DesiredStatus.RUNNING, RestartPolicy.ON_FAILURE,
                Map.of());
        kind.states.put("pump", ModuleState.STOPPED);

        supervisor.tick(List.of(pump), T0);
        supervisor.tick(List.of(pump), T0.plusSeconds(600));

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("pump")).isEqualTo("failed");
    }

    @Test
    void modulesThatShouldBeStoppedOrWhoseKindIsGoneAreLeftAlone() {
        ModuleSpec stopped = Specs.module("off", ModuleType.BUNDLE, DesiredStatus.STOPPED, RestartPolicy.ALWAYS,
                Map.of());
        ModuleSpec orphan = running("script", ModuleType.CONTAINER);
        kind.states.put("off", ModuleState.STOPPED);

        supervisor.tick(List.of(stopped, orphan), T0);
        supervisor.tick(List.of(stopped, orphan), T0.plusSeconds(600));

        assertThat(calls).isEmpty();
        assertThat(supervisor.view("off")).isNull();
        assertThat(supervisor.clock("script")).isNull();
    }

    @Test
    void aModuleChangedByADeploymentStartsItsStatisticsAfresh() {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        kind.states.put("pump", ModuleState.FAILED);
        supervisor.tick(List.of(pump), T0);
        supervisor.tick(List.of(pump), T0.plusSeconds(10));

        supervisor.forget("pump");

        assertThat(supervisor.clock("pump")).isNull();
        assertThat(supervisor.view("pump")).isNull();
    }
}
