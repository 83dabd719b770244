/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.api.runtime.ModuleState;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.RegistryCredential;
import org.outpost.manifest.RestartPolicy;

/**
 * Image modules through a recording fake container engine (a script that writes each call's arguments and
 * environment to files, and whose pull waits until the test lets it end): the engine's arguments are the contract.
 */
class ContainerEngineTest {

    private static final String PASSWORD = "hunter2-registry-secret";

    @TempDir
    Path dir;

    private final FakeIdentities identities = new FakeIdentities();
    private final ContainerProcesses processes = new ContainerProcesses();
    private ContainerKind kind;

    private Path engine(String name) throws Exception {
        return engine(name, "");
    }

    private Path engine(String name, String network) throws Exception {
        Path engine = dir.resolve("bin").resolve(name);
        Files.createDirectories(engine.getParent());
        Files.writeString(engine, "#!/bin/sh\n"
                + "echo \"$*\" >> " + dir.resolve("calls") + "\n"
                + "env >> " + dir.resolve("environments") + "\n"
                + "if [ \"$1\" = inspect ]; then cat " + dir.resolve("container.pid") + "; exit $?; fi\n"
                + "if [ \"$1\" = pull ] || [ \"$3\" = pull ]; then\n"
                + "  while [ ! -f " + dir.resolve("pulled") + " ]; do sleep 0.05; done\n"
                + "  exit 0\n"
                + "fi\n"
                + "exec sleep 300\n");
        assertThat(engine.toFile().setExecutable(true)).isTrue();
        // In order, as the runtime's grant is (Map.of has no order: the engine's arguments would change from run to run).
        ModuleAccess access = Specs.stub(ModuleAccess.class, (method, args) -> {
            if (!method.equals("grant")) {
                return null;
            }
            Map<String, String> granted = new java.util.LinkedHashMap<>();
            granted.put(ModuleAccess.MODULE_ID, (String) args[0]);
            granted.put("OUTPOST_MQTT_PASSWORD", "broker-secret");
            return granted;
        });
        kind = new ContainerKind(new ContainerModules(dir.resolve("containers"), access, identities,
                new RegistryAuth(dir.resolve("registry")), processes, List.of(engine.toString()), 1 << 20,
                Duration.ofMinutes(1), network));
        return engine;
    }

    @AfterEach
    void stop() {
        if (kind != null) {
            kind.deactivate();
        }
    }

    private static ModuleSpec image(String name, String image, String createOptions) {
        return new ModuleSpec(name, ModuleType.CONTAINER, "docker", "1.0", DesiredStatus.RUNNING,
                RestartPolicy.ALWAYS, 0, Map.of("LEVEL", "debug"), null, null, null, List.of(), image, createOptions,
                "org.outpost.module." + name, null);
    }

    private static DeploymentManifest withCredentials(ModuleSpec spec) {
        return new DeploymentManifest("1.1", List.of(), Map.of(spec.name(), spec), null, Map.of(), Map.of("acr",
                new RegistryCredential("acr", "acr.example.io", "robot", PASSWORD)), List.of());
    }

    private List<String> calls() throws Exception {
        return Files.exists(dir.resolve("calls")) ? Files.readAllLines(dir.resolve("calls")) : List.of();
    }

    @Test
    void aContainersProcessesAreItsMainProcessAsTheEngineTellsItNotTheEnginesClient() throws Exception {
        engine("docker");
        ModuleSpec cam = image("cam", "acr.example.io/acme/cam:1", null);
        kind.prepare(List.of(cam), withCredentials(cam), new UndoLog());
        kind.install(cam);
        Files.createFile(dir.resolve("pulled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kind.info(cam).state() == ModuleState.RUNNING);
        // Not up yet: the engine does not tell its pid.
        assertThat(processes.processes()).isEmpty();

        Process container = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(dir.resolve("container.pid"), container.pid() + "\n");
            assertThat(processes.processes()).containsExactly(Map.entry("cam", container.pid()));
            Files.delete(dir.resolve("container.pid"));
            // Remembered for this run: the engine is not asked each time.
            assertThat(processes.processes()).containsExactly(Map.entry("cam", container.pid()));
        } finally {
            container.destroyForcibly();
        }
    }

    @Test
    void anImageIsPulledWithTheRegistryCredentialsInAFileThenRunWithTheModulesContract() throws Exception {
        Path engine = engine("podman");
        ModuleSpec cam = image("cam", "acr.example.io/acme/cam@sha256:" + "ab".repeat(32), null);
        kind.prepare(List.of(cam), withCredentials(cam), new UndoLog());

        assertThat(kind.install(cam)).isTrue();

        // Pulling: shown as such, not restarted, not yet run.
        await().atMost(Duration.ofSeconds(10)).until(() -> calls().size() == 1);
        assertThat(kind.info(cam).state()).isEqualTo(ModuleState.PULLING);
        assertThat(kind.info(cam).reason()).startsWith("pulling acr.example.io/acme/cam@sha256:abab");
        Path auth = dir.resolve("registry").resolve("config.json");
        assertThat(calls().get(0)).isEqualTo("pull --authfile " + auth + " -- acr.example.io/acme/cam@sha256:"
                + "ab".repeat(32));

        Files.createFile(dir.resolve("pulled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kind.info(cam).state() == ModuleState.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls().size() == 2);
        String run = calls().get(1);
        Path secret = dir.resolve("containers").resolve("cam").resolve("secrets").resolve("mqtt-password");
        // No network named: the engine's default, not the host's.
        assertThat(run).startsWith("run --rm --name outpost-cam -e LEVEL -e OUTPOST_MODULE_ID")
                .contains("-e IOTEDGE_WORKLOADURI -e IOTEDGE_MODULEID -e IOTEDGE_MODULEGENERATIONID")
                .endsWith("-v /run/wl/cam.sock:/var/run/iotedge/workload.sock -v " + secret + ":"
                        + "/run/secrets/outpost/mqtt-password:ro -- acr.example.io/acme/cam@sha256:" + "ab".repeat(32));
        // The container's environment is the module's, its socket at IoT Edge's path.
        assertThat(Files.readString(dir.resolve("environments"))).contains(
                "IOTEDGE_WORKLOADURI=unix:///var/run/iotedge/workload.sock", "IOTEDGE_MODULEID=cam",
                "IOTEDGE_MODULEGENERATIONID=" + identities.identity("cam").orElseThrow().generationId());
        // The password is in the owner-only auth file only: not on a command line, not in an environment.
        assertThat(Files.readString(auth)).contains("\"acr.example.io\"", "\"auth\" : \"" + java.util.Base64
                .getEncoder().encodeToString(("robot:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth.getParent())))
                .isEqualTo("rwx------");
        assertThat(String.join("\n", calls())).doesNotContain(PASSWORD, "broker-secret");
        assertThat(Files.readString(dir.resolve("environments"))).doesNotContain(PASSWORD);
        // The broker password too: in an owner-only file mounted read-only, its path in the environment.
        assertThat(Files.readString(dir.resolve("environments"))).doesNotContain("broker-secret")
                .contains("OUTPOST_MQTT_PASSWORD_FILE=/run/secrets/outpost/mqtt-password")
                .doesNotContain("OUTPOST_MQTT_PASSWORD=");
        assertThat(secret).hasContent("broker-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent())))
                .isEqualTo("rwx------");
        assertThat(engine).exists();
    }

    @Test
    void dockerGetsTheCredentialsFolderAsItsConfig() throws Exception {
        engine("docker");
        ModuleSpec cam = image("cam", "acr.example.io/acme/cam:1", null);
        kind.prepare(List.of(cam), withCredentials(cam), new UndoLog());
        Files.createFile(dir.resolve("pulled"));

        kind.install(cam);

        await().atMost(Duration.ofSeconds(10)).until(() -> calls().size() == 2);
        assertThat(calls().get(0)).isEqualTo("--config " + dir.resolve("registry") + " pull -- acr.example.io/acme/cam:1");
        assertThat(calls().get(1)).startsWith("run --rm --name outpost-cam");
    }

    @Test
    void createOptionsEnvHasTheLastWordAsInIotEdge() throws Exception {
        engine("podman");
        Files.createFile(dir.resolve("pulled"));
        ModuleSpec cam = image("cam", "acme/cam:1", "{\"Env\": [\"LEVEL=trace\"], \"HostConfig\": {\"NetworkMode\":"
                + " \"bridge\"}}");

        kind.install(cam);

        await().atMost(Duration.ofSeconds(10)).until(() -> calls().size() == 2);
        assertThat(calls().get(0)).isEqualTo("pull -- acme/cam:1");
        assertThat(calls().get(1)).startsWith("run --rm --name outpost-cam --network bridge -e LEVEL=trace -e"
                + " OUTPOST_MODULE_ID").doesNotContain("-e LEVEL ");
    }

    @Test
    void aGatewayThatStartsAgainRunsTheImageItHasWithoutPulling() throws Exception {
        engine("podman");
        ModuleSpec cam = image("cam", "acme/cam:1", null);

        assertThat(kind.resume(cam)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> kind.info(cam).state() == ModuleState.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls().size() == 1);
        assertThat(calls().get(0)).startsWith("run --rm --name outpost-cam");
    }

    @Test
    void aStoppedPullEndsThePullAndRunsNothing() throws Exception {
        engine("podman");
        ModuleSpec cam = image("cam", "acme/cam:1", null);
        kind.install(cam);
        await().atMost(Duration.ofSeconds(10)).until(() -> kind.info(cam).state() == ModuleState.PULLING);

        kind.setRunning(cam, false);

        assertThat(kind.info(cam).state()).isEqualTo(ModuleState.STOPPED);
        Files.createFile(dir.resolve("pulled"));
        assertThat(calls()).hasSize(1);
    }

    @Test
    void anImageRunsOnTheConfiguredNetworkUnlessItsCreateOptionsNameOne() throws Exception {
        engine("podman", "outpost-net");
        Files.createFile(dir.resolve("pulled"));
        ModuleSpec cam = image("cam", "acme/cam:1", null);
        ModuleSpec own = image("own", "acme/own:1", "{\"HostConfig\": {\"NetworkMode\": \"bridge\"}}");

        kind.install(cam);
        kind.install(own);

        await().atMost(Duration.ofSeconds(10)).until(() -> calls().stream().filter(c -> c.startsWith("run"))
                .count() == 2);
        assertThat(calls()).anySatisfy(c -> assertThat(c).startsWith("run --rm --name outpost-cam --network"
                + " outpost-net -e LEVEL").endsWith(" -- acme/cam:1"));
        assertThat(calls()).anySatisfy(c -> assertThat(c).startsWith("run --rm --name outpost-own --network bridge"
                + " -e LEVEL").doesNotContain("outpost-net"));
    }
}
