/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.api.DeploymentStatus.ModuleStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class StatusViewTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final FakeKind kind = new FakeKind();
    private final ModuleKinds kinds = new ModuleKinds();
    private final FakeTime time = new FakeTime(T0);
    private volatile org.outpost.manifest.DeploymentManifest deployed = deployment(null);
    private final Supervisor supervisor = new Supervisor(kinds, new HealthProbes(null, Duration.ofSeconds(5), 2,
            time), new Supervisor.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMinutes(10),
                    Duration.ZERO), () -> deployed, new ModuleClaims(), m -> {
                    }, time, time.wall());
    private final StatusView view = new StatusView(kinds, supervisor);

    StatusViewTest() {
        kinds.add("container", kind);
    }

    @AfterEach
    void close() {
        supervisor.close();
    }

    private void tick(long seconds, ModuleSpec... modules) {
        deployed = deployment(null, modules);
        time.set(seconds);
        supervisor.tick();
    }

    private ModuleStatus status(ModuleSpec spec) {
        return view.status(7, new DeploymentStatus.Outcome(200, ""), deployment(null, spec), Map.of()).modules()
                .get(spec.name());
    }

    @Test
    void aRunningModuleReportsItsStateAndWhenItStarted() {
        ModuleSpec script = running("script", ModuleType.CONTAINER);
        kind.states.put("script", ModuleState.RUNNING);
        view.started("script");

        DeploymentStatus status = view.status(7, new DeploymentStatus.Outcome(200, ""), deployment(null, script),
                Map.of());

        assertThat(status.lastDesiredVersion()).isEqualTo(7);
        ModuleStatus m = status.modules().get("script");
        assertThat(m.type()).isEqualTo("container");
        assertThat(m.status()).isEqualTo("running");
        assertThat(m.runtimeStatus()).isEqualTo("running");
        assertThat(m.lastStartTimeUtc()).isNotNull();
        assertThat(m.restartCount()).isZero();
        assertThat(m.exitCode()).isNull();
    }

    @Test
    void theSupervisorsViewComesBeforeTheRuntimeStateAndAGivenUpModuleSaysSo() {
        ModuleSpec script = running("script", ModuleType.CONTAINER);
        kind.states.put("script", ModuleState.FAILED);
        kind.reasons.put("script", "exited with code 3");
        tick(0, script);
        assertThat(status(script).runtimeStatus()).isEqualTo("backoff");

        tick(1, script);
        tick(2, script);

        ModuleStatus m = status(script);
        assertThat(m.runtimeStatus()).isEqualTo("failed");
        assertThat(m.statusDescription()).isEqualTo("given up after 1 restarts; exited with code 3");
        assertThat(m.restartCount()).isEqualTo(1);
        assertThat(m.lastRestartTimeUtc()).isEqualTo(T0.plusSeconds(1));
        assertThat(m.exitCode()).isEqualTo(3);
        assertThat(m.lastExitTimeUtc()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aDeadModuleSaysHowToBringItBack() {
        ModuleSpec script = running("script", ModuleType.CONTAINER);
        kind.states.put("script", ModuleState.FAILED);
        kind.dead.put("script", "cannot start /opt/run: No such file");

        ModuleStatus m = status(script);

        assertThat(m.runtimeStatus()).isEqualTo("dead");
        assertThat(m.statusDescription()).isEqualTo("cannot start /opt/run: No such file; deploy it again or run"
                + " edge:restart script when it can run");
    }

    @Test
    void aModuleWhoseKindIsGoneIsUnknown() {
        ModuleStatus m = status(running("pump", ModuleType.BUNDLE));

        assertThat(m.runtimeStatus()).isEqualTo("unknown");
        assertThat(m.statusDescription()).isEmpty();
    }

    @Test
    void aModuleThePolicyRefusedAtStartIsFailedWithWhy() {
        ModuleSpec script = running("script", ModuleType.CONTAINER);
        ModuleSpec other = running("other", ModuleType.CONTAINER);
        kind.states.put("other", ModuleState.RUNNING);

        DeploymentStatus status = view.status(7, new DeploymentStatus.Outcome(400, "refused"), deployment(null, script,
                other), Map.of("script", "400 modules.script.settings.command: process modules are off"));

        assertThat(status.modules().get("script").runtimeStatus()).isEqualTo("failed");
        assertThat(status.modules().get("script").status()).isEqualTo("running");
        assertThat(status.modules().get("script").statusDescription()).isEqualTo("refused by the deployment policy:"
                + " 400 modules.script.settings.command: process modules are off");
        assertThat(status.modules().get("other").runtimeStatus()).isEqualTo("running");
    }
}
