/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.outpost.deployment.internal.Specs.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.LogQuery;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;

class ContainerKindTest {

    @TempDir
    Path dir;

    private final List<String> access = new ArrayList<>();
    private final ContainerProcesses processes = new ContainerProcesses();
    private final FakeIdentities identities = new FakeIdentities();
    private ContainerKind kind;

    private ContainerKind kind() {
        ModuleAccess grants = Specs.stub(ModuleAccess.class, (method, args) -> {
            access.add(method + " " + args[0]);
            return method.equals("grant") ? Map.of(ModuleAccess.MODULE_ID, args[0]) : null;
        });
        kind = new ContainerKind(new ContainerModules(dir, grants, identities, new RegistryAuth(dir.resolve("registry")),
                processes, List.of("/nonexistent/podman"), 1 << 20, java.time.Duration.ofMinutes(1), ""));
        return kind;
    }

    @AfterEach
    void stop() {
        if (kind != null) {
            kind.deactivate();
        }
    }

    @Test
    void anImageModuleIsRefusedWhenNoContainerEngineIsInstalled() throws Exception {
        ContainerKind k = kind();

        assertThatThrownBy(() -> k.check(container("cam", DesiredStatus.RUNNING, List.of(), "acme/cam:1")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("400 modulesContent.$edgeAgent.properties.desired.modules.cam.settings.image: no"
                        + " container engine (/nonexistent/podman) is installed on this gateway: install one, or run"
                        + " the module as a process with settings.command");
        k.check(container("script", DesiredStatus.RUNNING, List.of("/bin/sh", "-c", "exit 0"), null));
    }

    @Test
    void aStoppedModuleGetsItsProcessWithItsCredentialsButDoesNotRun() throws Exception {
        ContainerKind k = kind();
        ModuleSpec script = container("script", DesiredStatus.STOPPED, List.of("/bin/sh", "-c", "exit 0"), null);

        assertThat(k.install(script)).isFalse();

        assertThat(k.info(script).state()).isEqualTo(ModuleState.STOPPED);
        assertThat(processes.ownModules()).extracting(ModuleInfo::name, ModuleInfo::type, ModuleInfo::managed)
                .containsExactly(tuple("script", "container", true));
        assertThat(access).containsExactly("grant script");
        ProcessBuilder health = k.healthCommand(script, List.of("/bin/test", "-f", "ok"));
        assertThat(health.directory().toPath()).isEqualTo(dir.resolve("script"));
        assertThat(health.environment()).containsEntry("LEVEL", "debug").containsEntry(ModuleAccess.MODULE_ID,
                "script").containsEntry("IOTEDGE_WORKLOADURI", "unix:///run/wl/script.sock")
                .containsEntry("IOTEDGE_MODULEGENERATIONID", identities.identity("script").orElseThrow()
                        .generationId());
        assertThat(k.logs(script, LogQuery.tail(10))).contains(List.of());
        assertThat(k.resume(script)).isFalse();

        k.remove(script);
        assertThat(k.info(script)).isNull();
        assertThat(processes.ownModules()).isEmpty();
        assertThat(k.healthCommand(script, List.of("/bin/true"))).isNull();
        assertThat(access).containsExactly("grant script", "revoke script");
    }

    @Test
    void theManifestsEnvCannotChangeWhatIdentifiesTheModule() throws Exception {
        ContainerKind k = kind();
        ModuleSpec spec = new ModuleSpec("proc", org.outpost.manifest.ModuleType.CONTAINER, "container", "",
                DesiredStatus.STOPPED, org.outpost.manifest.RestartPolicy.ALWAYS, 0, Map.of("IOTEDGE_MODULEID",
                        "other", "Logging:LogLevel:Default", "Debug"), null, null, null, List.of("/bin/true"), null,
                null, "org.outpost.module.proc", null);

        k.install(spec);

        Map<String, String> env = k.healthCommand(spec, List.of("/bin/true")).environment();
        assertThat(env).containsEntry("IOTEDGE_MODULEID", "proc").containsEntry("Logging:LogLevel:Default", "Debug");
        assertThat(identities.calls).containsExactly("create proc");
    }

    @Test
    void aProgramThatCannotStartMakesTheModuleDead() {
        ContainerKind k = kind();
        ModuleSpec broken = container("broken", DesiredStatus.RUNNING, List.of("/nonexistent/run"), null);

        assertThatThrownBy(() -> k.install(broken)).hasMessageContaining("module broken: cannot start"
                + " /nonexistent/run");

        assertThat(k.deadReason(broken)).startsWith("cannot start /nonexistent/run");
        assertThat(k.info(broken).state()).isEqualTo(ModuleState.FAILED);
    }

    @Test
    void aRunningProcessIsStoppedAndStartedAgainByARestart() throws Exception {
        ContainerKind k = kind();
        ModuleSpec sleeper = container("sleeper", DesiredStatus.RUNNING, List.of("/bin/sh", "-c", "sleep 30"), null);

        assertThat(k.resume(sleeper)).isTrue();
        assertThat(k.info(sleeper).state()).isEqualTo(ModuleState.RUNNING);
        assertThat(k.restart(sleeper)).isTrue();
        assertThat(k.info(sleeper).state()).isEqualTo(ModuleState.RUNNING);

        k.setRunning(sleeper, false);
        assertThat(k.info(sleeper).state()).isEqualTo(ModuleState.STOPPED);
        assertThat(k.deadReason(sleeper)).isNull();
    }

    @Test
    void stoppingAModuleEndsItsWholeProcessTreeNotOnlyItsShell() throws Exception {
        ContainerKind k = kind();
        ModuleSpec pipe = container("pipe", DesiredStatus.RUNNING, List.of("/bin/sh", "-c", "sleep 301 | cat"), null);
        assertThat(k.resume(pipe)).isTrue();
        ProcessHandle shell = ProcessHandle.of(processes.get("pipe").pid()).orElseThrow();
        List<ProcessHandle> children = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> shell.descendants().toList(), c -> c.size() >= 2);

        k.setRunning(pipe, false);

        assertThat(shell.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aKindThatStopsStopsAndForgetsItsProcessesSoThatTheNextResumesThem() throws Exception {
        ContainerKind k = kind();
        ModuleSpec sleeper = container("sleeper", DesiredStatus.RUNNING, List.of("/bin/sh", "-c", "sleep 30"), null);
        assertThat(k.resume(sleeper)).isTrue();
        ProcessModule p = processes.get("sleeper");

        k.deactivate();

        assertThat(p.state()).isEqualTo(ModuleState.STOPPED);
        assertThat(processes.ownModules()).isEmpty();
        assertThat(kind().resume(sleeper)).isTrue();
        assertThat(processes.info("sleeper").state()).isEqualTo(ModuleState.RUNNING);
    }
}
