/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Inject;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;

/** A deployment manifest installs a bundle module all or nothing; a bad or failing one leaves everything as it was. */
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

    @Test
    public void aDeploymentInstallsAModuleAndAFailingOneRollsBackToIt() throws Exception {
        String good = manifest(HEARTBEAT, ", \"heartbeat\": {\"properties.desired\": {\"interval.ms\": 250}}");

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
        assertThat(shell("edge:status")).contains("Last deployment: 200").containsPattern(
                "heartbeat\\s*\\|\\s*bundle\\s*\\|\\s*1.0\\s*\\|\\s*running\\s*\\|\\s*running");
        long heartbeatBundle = runtime.module("heartbeat").orElseThrow().bundleId();

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
        assertThat(shell("edge:status")).contains("Last deployment: 500");

        // A malformed manifest is refused before anything changes, saying where.
        DeploymentResult bad = deployer.deploy(manifest("\"x\": {\"type\": \"rocket\", \"settings\": {}}", ""), false);
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.description()).isEqualTo("400 modulesContent.$edgeAgent.properties.desired.modules.x.type:"
                + " unknown module type 'rocket' (use bundle, feature, container or docker)");
        DeploymentResult badRoute = deployer.deploy(manifest(HEARTBEAT, "").replace("INTO $upstream",
                "WHERE temp > INTO $upstream"), false);
        assertThat(badRoute.code()).isEqualTo(400);
        assertThat(badRoute.description()).contains("modulesContent.$edgeHub.properties.desired", "route 'beats'");
        assertThat(runtime.module("heartbeat").orElseThrow().bundleId()).isEqualTo(heartbeatBundle);

        // The same deployment again touches nothing.
        DeploymentResult again = deployer.deploy(good, false);
        assertThat(again.code()).isEqualTo(200);
        assertThat(again.steps()).extracting(DeploymentResult.PlannedStep::action).containsOnly("keep");
        assertThat(runtime.module("heartbeat").orElseThrow().bundleId()).isEqualTo(heartbeatBundle);
    }
}
