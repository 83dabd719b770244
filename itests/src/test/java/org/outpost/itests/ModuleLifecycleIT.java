/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.api.DeploymentStatus.ModuleStatus;

/**
 * Two bundle modules deployed together: updating one leaves the other running untouched (same bundle, same start
 * time), and a module's desired {@code status} stops and starts it, as IoT Edge's {@code status} field does. The
 * status the gateway reports ({@code edge:status --json}) carries IoT Edge's fields throughout.
 */
public class ModuleLifecycleIT extends OutpostTestSupport {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private Deployer deployer;

    private static String manifest(String heartbeatVersion, String heartbeatStatus) {
        return "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {"
                + "\"heartbeat\": {\"type\": \"bundle\", \"version\": \"" + heartbeatVersion + "\", \"status\": \""
                + heartbeatStatus + "\", \"restartPolicy\": \"always\", \"settings\": {\"location\":"
                + " \"mvn:org.outpost/heartbeat/" + VERSION + "\", \"pid\": \"org.outpost.samples.heartbeat\"}},"
                + " \"load-generator\": {\"type\": \"bundle\", \"version\": \"1.0\", \"status\": \"running\","
                + " \"restartPolicy\": \"always\", \"startupOrder\": 1, \"settings\": {\"location\":"
                + " \"mvn:org.outpost/load-generator/" + VERSION + "\"}}}}},"
                + " \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {"
                + "\"beats\": \"FROM /messages/modules/heartbeat/* INTO $upstream\"}}}}}";
    }

    private ModuleStatus status(String module) {
        return deployer.status().modules().get(module);
    }

    @Test
    public void updatingOneModuleLeavesTheOtherAloneAndStatusStopsAndStartsIt() throws Exception {
        // From a URL, through the shell.
        java.nio.file.Path file = java.nio.file.Files.createTempFile("deployment", ".json");
        java.nio.file.Files.writeString(file, manifest("1.0", "running"));
        assertThat(shell("edge:deploy " + file.toUri())).contains("Deployment applied (200)");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(status("heartbeat").runtimeStatus())
                && "running".equals(status("load-generator").runtimeStatus()));
        long loaderBundle = runtime.module("load-generator").orElseThrow().bundleId();
        Instant loaderStart = status("load-generator").lastStartTimeUtc();
        Instant heartbeatStart = status("heartbeat").lastStartTimeUtc();
        assertThat(loaderStart).isNotNull();
        assertThat(heartbeatStart).isNotNull();

        // The status as the gateway reports it: IoT Edge's fields, as JSON for scripts.
        String out = shell("edge:status --json");
        JsonNode reported = JSON.readTree(out.substring(out.indexOf('{')));
        assertThat(reported.path("lastDesiredStatus").path("code").asInt()).isEqualTo(200);
        JsonNode heartbeat = reported.path("modules").path("heartbeat");
        assertThat(heartbeat.path("runtimeStatus").asText()).isEqualTo("running");
        assertThat(heartbeat.path("version").asText()).isEqualTo("1.0");
        assertThat(Instant.parse(heartbeat.path("lastStartTimeUtc").asText())).isEqualTo(heartbeatStart);
        assertThat(heartbeat.path("restartCount").asInt()).isZero();
        assertThat(heartbeat.has("exitCode")).isTrue();
        assertThat(heartbeat.has("lastExitTimeUtc")).isTrue();

        // Heartbeat's new version: heartbeat is updated, the load generator is kept as it runs. The dry run says so
        // first, and that the update refreshes no other bundle.
        java.nio.file.Files.writeString(file, manifest("1.1", "running"));
        assertThat(shell("edge:deploy --dry-run " + file)).containsPattern("update\\s*\\|\\s*heartbeat")
                .containsPattern("keep\\s*\\|\\s*load-generator").contains("refreshes no other bundle");
        assertThat(status("heartbeat").version()).as("a dry run changes nothing").isEqualTo("1.0");
        DeploymentResult update = deployer.deploy(manifest("1.1", "running"), false);
        assertThat(update.code()).as(update.description()).isEqualTo(200);
        assertThat(update.steps()).extracting(DeploymentResult.PlannedStep::module, DeploymentResult.PlannedStep::action)
                .contains(org.assertj.core.groups.Tuple.tuple("load-generator", "keep"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(status("heartbeat").runtimeStatus())
                && "1.1".equals(status("heartbeat").version()));
        assertThat(status("heartbeat").lastStartTimeUtc()).isAfter(heartbeatStart);
        assertThat(runtime.module("load-generator").orElseThrow().bundleId()).isEqualTo(loaderBundle);
        assertThat(status("load-generator").lastStartTimeUtc()).as("not restarted").isEqualTo(loaderStart);
        assertThat(bundleContext.getBundle(loaderBundle).getState()).isEqualTo(Bundle.ACTIVE);

        // "status": "stopped" stops heartbeat and keeps it stopped (its policy is always, but it is meant to stop).
        DeploymentResult stop = deployer.deploy(manifest("1.1", "stopped"), false);
        assertThat(stop.code()).as(stop.description()).isEqualTo(200);
        long heartbeatBundle = runtime.module("heartbeat").orElseThrow().bundleId();
        await().atMost(Duration.ofSeconds(20)).until(() -> "stopped".equals(status("heartbeat").runtimeStatus()));
        assertThat(bundleContext.getBundle(heartbeatBundle).getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(runtime.module("heartbeat").orElseThrow().state()).isNotEqualTo(ModuleState.RUNNING);
        assertThat(shell("edge:status")).containsPattern("heartbeat\\s*\\|\\s*bundle\\s*\\|\\s*1.1\\s*\\|\\s*stopped"
                + "\\s*\\|\\s*stopped");
        assertThat(status("heartbeat").restartCount()).as("a module meant to stop is not restarted").isZero();

        // And "running" starts it again; the load generator is still untouched.
        DeploymentResult start = deployer.deploy(manifest("1.1", "running"), false);
        assertThat(start.code()).as(start.description()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(status("heartbeat").runtimeStatus()));
        assertThat(bundleContext.getBundle(heartbeatBundle).getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(status("load-generator").lastStartTimeUtc()).isEqualTo(loaderStart);
        assertThat(runtime.module("load-generator").orElseThrow().bundleId()).isEqualTo(loaderBundle);

        // A new module that installs and starts but fails within its probation window (its component throws): the
        // whole deployment is rolled back, and what ran runs on untouched.
        java.nio.file.Path modules = java.nio.file.Path.of(System.getProperty("karaf.home"), "modules");
        java.nio.file.Files.createDirectories(modules);
        java.nio.file.Path jar = modules.resolve("throwing-module.jar");
        HotDeployIT.writeThrowingModule(jar);
        String withThrowing = manifest("1.1", "running").replace("\"load-generator\": {", "\"throwing\": {\"type\":"
                + " \"bundle\", \"settings\": {\"location\": \"" + jar.toUri() + "\"}}, \"load-generator\": {");
        DeploymentResult failed = deployer.deploy(withThrowing, false);
        assertThat(failed.code()).isEqualTo(500);
        assertThat(failed.description()).contains("throwing", "rolled back to the last good deployment");
        assertThat(runtime.module("throwing")).as("the new module is gone").isEmpty();
        assertThat(status("heartbeat").runtimeStatus()).isEqualTo("running");
        assertThat(runtime.module("load-generator").orElseThrow().bundleId()).isEqualTo(loaderBundle);
        assertThat(status("load-generator").lastStartTimeUtc()).isEqualTo(loaderStart);
        assertThat(deployer.status().lastDesiredStatus().code()).isEqualTo(500);
    }

    @Override
    protected org.ops4j.pax.exam.Option[] extraOptions() {
        // A short probation window, so that a module that never reaches running cannot hold the test up.
        return org.ops4j.pax.exam.OptionUtils.combine(super.extraOptions(), org.ops4j.pax.exam.karaf.options
                .KarafDistributionOption.editConfigurationFilePut("etc/org.outpost.deployment.cfg",
                        "probation.seconds", "3"));
    }
}
