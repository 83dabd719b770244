/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.inject.Inject;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;

/**
 * A deployment manifest installs a bundle module all or nothing; a bad or failing one leaves everything as it was; the
 * module's restart policy brings it back when it stops, with back-off, until its restarts are used up.
 */
public class DeploymentIT extends OutpostTestSupport {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");

    @Inject
    private Deployer deployer;

    private static String manifest(String modules, String twins) {
        return "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {" + modules + "}}},"
                + " \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {"
                + "\"beats\": \"FROM /messages/modules/heartbeat/* INTO $upstream\"}}}" + twins + "}}";
    }

    private static final String HEARTBEAT = "\"heartbeat\": {\"type\": \"bundle\", \"version\": \"1.0\","
            + " \"status\": \"running\", \"restartPolicy\": \"always\", \"settings\": {\"location\":"
            + " \"mvn:org.outpost/heartbeat/" + VERSION + "\", \"pid\": \"org.outpost.samples.heartbeat\"}}";

    @Override
    protected Option[] extraOptions() {
        // Restart back-off from 300 ms (IoT Edge's 10 s would make the restart test slow), at most 2 restarts.
        return OptionUtils.combine(super.extraOptions(),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "restart.backoff.ms", "300"),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "restart.max", "2"));
    }

    private static String gatewayLog() throws java.io.IOException {
        return Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
    }

    @Test
    public void aDeploymentInstallsAModuleKeepsItRunningAndAFailingOneRollsBack() throws Exception {
        String good = manifest(HEARTBEAT, ", \"heartbeat\": {\"properties.desired\": {\"interval.ms\": 250}}");

        assertThat(shell("edge:status")).contains("Last deployment: none yet");
        assertThat(shell("edge:check")).containsPattern("deployment\\s*\\|\\s*ok\\s*\\|\\s*no deployment yet");

        DeploymentResult plan = deployer.deploy(good, true);
        assertThat(plan.code()).isEqualTo(200);
        assertThat(plan.steps()).extracting(DeploymentResult.PlannedStep::action, DeploymentResult.PlannedStep::module)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("install", "heartbeat"));
        assertThat(runtime.module("heartbeat")).as("a dry run changes nothing").isEmpty();

        Path file = Files.createTempFile("deployment", ".json");
        Files.writeString(file, good);
        assertThat(shell("edge:deploy " + file)).contains("install", "heartbeat", "Deployment applied (200)");
        assertThat(runtime.module("heartbeat").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        Configuration config = configurationAdmin.getConfiguration("org.outpost.samples.heartbeat", "?");
        assertThat(config.getProperties().get("interval.ms")).as("the module's desired properties").isEqualTo(250L);
        assertThat(routing.routes()).extracting(r -> r.name()).containsExactly("beats");
        assertThat(shell("edge:status")).contains("Last deployment: version 1, 200").containsPattern(
                "heartbeat\\s*\\|\\s*bundle\\s*\\|\\s*1.0\\s*\\|\\s*running\\s*\\|\\s*running");
        long heartbeatBundle = runtime.module("heartbeat").orElseThrow().bundleId();
        assertThat(shell("edge:list")).containsPattern("heartbeat\\s*\\|\\s*bundle\\s*\\|\\s*deployment\\s*\\|\\s*running")
                .containsPattern("simulated-temperature-sensor\\s*\\|\\s*bundle\\s*\\|\\s*unmanaged");

        // A second module whose bundle declares another module id: the step fails, everything is rolled back.
        String failing = manifest(HEARTBEAT + ", \"loader\": {\"type\": \"bundle\", \"settings\": {\"location\":"
                + " \"mvn:org.outpost/load-generator/" + VERSION + "\"}}", "").replace("\"beats\"", "\"other\"");
        DeploymentResult r = deployer.deploy(failing, false);
        assertThat(r.code()).isEqualTo(500);
        assertThat(r.description()).contains("declares module id 'load-generator'", "names it 'loader'",
                "rolled back to the last good deployment");
        assertThat(runtime.module("heartbeat").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        assertThat(runtime.module("heartbeat").orElseThrow().bundleId()).as("an unchanged module is not touched")
                .isEqualTo(heartbeatBundle);
        assertThat(runtime.module("load-generator")).isEmpty();
        assertThat(routing.routes()).extracting(rt -> rt.name()).as("the routes stay").containsExactly("beats");
        assertThat(shell("edge:status")).contains("Last deployment: version 2, 500");

        // A malformed manifest is refused before anything changes, saying where.
        DeploymentResult bad = deployer.deploy(manifest("\"x\": {\"type\": \"rocket\", \"settings\": {}}", ""), false);
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.description()).isEqualTo("400 modulesContent.$edgeAgent.properties.desired.modules.x.type:"
                + " unknown module type 'rocket' (use bundle, feature, container, docker or camel)");
        DeploymentResult badRoute = deployer.deploy(manifest(HEARTBEAT, "").replace("INTO $upstream",
                "WHERE temp > INTO $upstream"), false);
        assertThat(badRoute.code()).isEqualTo(400);
        assertThat(badRoute.description()).contains("modulesContent.$edgeHub.properties.desired", "route 'beats'");
        assertThat(runtime.module("heartbeat").orElseThrow().bundleId()).isEqualTo(heartbeatBundle);

        // The shipped deployment policy: no process modules, no privileged container; refused before anything changes.
        DeploymentResult process = deployer.deploy(manifest(HEARTBEAT + ", \"sh\": {\"type\": \"container\","
                + " \"settings\": {\"command\": [\"/bin/sh\", \"-c\", \"id\"]}}", ""), false);
        assertThat(process.code()).isEqualTo(400);
        assertThat(process.description()).startsWith("400 modulesContent.$edgeAgent.properties.desired.modules.sh"
                + ".settings.command: process modules are off").contains("process.modules.enabled = true");
        DeploymentResult privileged = deployer.deploy(manifest(HEARTBEAT + ", \"root\": {\"type\": \"docker\","
                + " \"settings\": {\"image\": \"acme/root:1\", \"createOptions\": {\"HostConfig\":"
                + " {\"Privileged\": true}}}}", ""), false);
        assertThat(privileged.code()).isEqualTo(400);
        assertThat(privileged.description()).contains("modules.root.settings.createOptions.HostConfig.Privileged",
                "container.allowed.privileged = true");
        assertThat(runtime.module("heartbeat").orElseThrow().bundleId()).isEqualTo(heartbeatBundle);

        // A dry run of an update says what it replaces and that nothing else gets refreshed with it.
        DeploymentResult update = deployer.deploy(good.replace("\"version\": \"1.0\"", "\"version\": \"1.1\""), true);
        assertThat(update.steps()).extracting(DeploymentResult.PlannedStep::reason)
                .containsExactly("version 1.0 -> 1.1; refreshes no other bundle");

        // The same deployment again touches nothing.
        DeploymentResult again = deployer.deploy(good, false);
        assertThat(again.code()).isEqualTo(200);
        assertThat(again.steps()).extracting(DeploymentResult.PlannedStep::action).containsOnly("keep");
        assertThat(runtime.module("heartbeat").orElseThrow().bundleId()).isEqualTo(heartbeatBundle);

        // Restart policy "always", back-off from 300 ms, at most 2 restarts (see extraOptions).
        Bundle bundle = bundleContext.getBundle(runtime.module("heartbeat").orElseThrow().bundleId());

        // Something stops it: the supervisor starts it again after its back-off.
        bundle.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("heartbeat")
                .restartCount() == 1 && bundle.getState() == Bundle.ACTIVE);
        assertThat(deployer.status().modules().get("heartbeat").lastRestartTimeUtc()).isNotNull();

        bundle.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("heartbeat")
                .restartCount() == 2 && bundle.getState() == Bundle.ACTIVE);

        // Its two restarts are used up: the next time it stays down and is reported failed.
        bundle.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("heartbeat")
                .runtimeStatus().equals("failed"));
        assertThat(deployer.status().modules().get("heartbeat").statusDescription()).contains("given up after 2"
                + " restarts");
        assertThat(bundle.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(shell("edge:status")).containsPattern("heartbeat\\s*\\|.*\\|\\s*failed\\s*\\|");

        // A new module whose desired status is stopped is installed and left stopped (resolved), not taken for a
        // bundle that does not resolve and rolled back at the end of its probation.
        DeploymentResult stopped = deployer.deploy(manifest("\"load-generator\": {\"type\": \"bundle\", \"status\":"
                + " \"stopped\", \"settings\": {\"location\": \"mvn:org.outpost/load-generator/" + VERSION + "\"}}",
                ""), false);
        assertThat(stopped.code()).as(stopped.description()).isEqualTo(200);
        ModuleInfo loader = runtime.module("load-generator").orElseThrow();
        assertThat(loader.state()).isEqualTo(ModuleState.STOPPED);
        assertThat(bundleContext.getBundle(loader.bundleId()).getState()).isEqualTo(Bundle.RESOLVED);

        // A jar dropped into deploy/ neither takes over nor, once deleted, removes a module the deployment owns.
        assertThat(deployer.deploy(good, false).code()).isEqualTo(200);
        long owned = runtime.module("heartbeat").orElseThrow().bundleId();
        Path jar = Path.of(System.getProperty("karaf.home"), "deploy", "heartbeat.jar");
        Files.copy(Path.of(System.getProperty("outpost.heartbeat.jar")), jar);
        await().atMost(Duration.ofSeconds(60)).until(() -> gatewayLog().contains(
                "heartbeat.jar holds module heartbeat, which the deployment runs: the jar is left alone"));
        Files.delete(jar);
        await().atMost(Duration.ofSeconds(60)).until(() -> gatewayLog().contains(
                "heartbeat.jar was removed from deploy/; it had been left alone"));
        ModuleInfo heartbeat = runtime.module("heartbeat").orElseThrow();
        assertThat(heartbeat.managed()).isTrue();
        assertThat(heartbeat.bundleId()).isEqualTo(owned);
        assertThat(heartbeat.state()).isEqualTo(ModuleState.RUNNING);
    }
}
