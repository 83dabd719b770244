/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.inject.Inject;

import org.junit.Test;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;

/** Remote provisioning: a feature module comes from the feature repository a deployment names. */
public class FeatureDeploymentIT extends OutpostTestSupport {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");

    @Inject
    private Deployer deployer;

    @Test
    public void aFeatureModuleComesFromAFeatureRepositoryAndAnUnresolvableOneIsRefused() throws Exception {
        Path modules = Files.createDirectories(Path.of(System.getProperty("karaf.home"), "modules"));
        Path repository = modules.resolve("acme-features.xml");
        Files.writeString(repository, "<features name=\"acme\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">"
                + "<feature name=\"acme-beat\" version=\"1.0.0\"><bundle>mvn:org.outpost/heartbeat/" + VERSION
                + "</bundle></feature>"
                + "<feature name=\"acme-broken\" version=\"1.0.0\"><bundle>mvn:org.acme/does-not-exist/9.9.9</bundle>"
                + "</feature></features>");
        String feature = "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"runtime\": {\"type\": \"karaf\", \"settings\": {\"featureRepositories\": [\""
                + repository.toUri() + "\"]}}, \"modules\": {\"heartbeat\": {\"type\": \"feature\", \"version\": \"1.0.0\","
                + " \"settings\": {\"feature\": \"FEATURE\", \"featureVersion\": \"1.0.0\"}}}}}}}";

        DeploymentResult broken = deployer.deploy(feature.replace("FEATURE", "acme-broken"), false);
        assertThat(broken.code()).isEqualTo(400);
        assertThat(broken.description()).contains("acme-broken/1.0.0", "do not resolve");
        assertThat(runtime.module("heartbeat")).isEmpty();

        DeploymentResult r = deployer.deploy(feature.replace("FEATURE", "acme-beat"), false);
        assertThat(r.code()).as(r.description()).isEqualTo(200);
        assertThat(runtime.module("heartbeat").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        assertThat(shell("feature:list -i")).contains("acme-beat");
        assertThat(deployer.status().modules().get("heartbeat").type()).isEqualTo("feature");

        // A local, offline deployment: the manifest in etc/deployment.json is applied when it changes.
        Files.writeString(Path.of(System.getProperty("karaf.etc"), "deployment.json"),
                feature.replace("FEATURE", "acme-beat").replace("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\""));
        await().atMost(Duration.ofSeconds(60)).until(() -> "1.0.1".equals(deployer.status().modules()
                .get("heartbeat").version()));
        assertThat(deployer.status().lastDesiredStatus().code()).isEqualTo(200);
        assertThat(runtime.module("heartbeat").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);

        // Its bundle stops (as if it crashed): the feature module is restarted by its policy (always), like a bundle.
        bundleContext.getBundle(runtime.module("heartbeat").orElseThrow().bundleId()).stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> deployer.status().modules().get("heartbeat")
                .restartCount() == 1 && runtime.module("heartbeat").orElseThrow().state() == ModuleState.RUNNING);
    }
}
