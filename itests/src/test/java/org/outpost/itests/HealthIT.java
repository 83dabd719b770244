/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Duration;

import javax.inject.Inject;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentStatus;

/**
 * Health probes: the heartbeat module is unhealthy when its beats are not stored (here: the cloud is away and its
 * endpoint is full), and its restart policy on-unhealthy restarts it. edge:check says what is wrong.
 */
public class HealthIT extends OutpostTestSupport {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");

    @Inject
    private Deployer deployer;

    @Override
    protected Option[] extraOptions() {
        return OptionUtils.combine(super.extraOptions(),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "restart.backoff.ms", "300"),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "health.interval.seconds", "1"));
    }

    @Test
    public void anUnhealthyModuleIsRestartedUnderOnUnhealthy() throws Exception {
        String manifest = "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {\"heartbeat\": {\"type\": \"bundle\", \"restartPolicy\": \"on-unhealthy\","
                + " \"settings\": {\"location\": \"mvn:org.outpost/heartbeat/" + VERSION + "\"}}}}},"
                + " \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {"
                + "\"beats\": \"FROM /messages/modules/heartbeat/* INTO $upstream\"},"
                + " \"storeAndForwardConfiguration\": {\"maxBytesPerEndpoint\": 2048}}}}}";
        // No cloud in this test: $upstream fills up, then the beats are refused and the module becomes unhealthy.
        assertThat(deployer.deploy(manifest, false).code()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> deployer.status().modules().get("heartbeat")
                .restartCount() >= 1);
        DeploymentStatus.ModuleStatus status = deployer.status().modules().get("heartbeat");
        assertThat(status.lastRestartTimeUtc()).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> deployer.status().modules().get("heartbeat")
                .statusDescription().contains("unhealthy: no beat stored"));
        assertThat(deployer.status().modules().get("heartbeat").statusDescription())
                .contains("endpoint $upstream is full");

        // Between restarts the module is unhealthy or waiting: edge:check points at it, and at the missing cloud.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shell("edge:check"))
                .containsPattern("cloud connection\\s*\\|\\s*warn")
                .containsPattern("deployment\\s*\\|\\s*(warn|critical)\\s*\\|.*heartbeat"));

        assertThat(shell("edge:restart heartbeat")).contains("Module heartbeat restarted");
        assertThat(runtime.module("heartbeat").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
    }

    @Test
    public void aModuleWhoseThreadDiesIsFailedUntilItsBundleLetsGoOfItsClient() throws Exception {
        // The probe bundle is module "itest": its client's threads report an uncaught exception.
        org.osgi.framework.ServiceReference<ModuleClient> ref = bundleContext.getServiceReference(ModuleClient.class);
        ModuleClient client = bundleContext.getService(ref);
        Thread worker = client.threadFactory().newThread(() -> {
            throw new IllegalStateException("sensor bus gone");
        });
        assertThat(worker.getName()).isEqualTo("outpost-itest-1");
        assertThat(worker.isDaemon()).isTrue();
        worker.start();
        worker.join(10_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.module("itest").orElseThrow().state()
                == ModuleState.FAILED);
        assertThat(runtime.module("itest").orElseThrow().reason()).contains("its thread outpost-itest-1 died",
                "IllegalStateException: sensor bus gone");
        assertThat(shell("edge:list")).containsPattern("itest\\s*\\|.*failed");

        // Its bundle stops using the client (as when it stops): the next start begins without the dead thread.
        bundleContext.ungetService(ref);
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.module("itest").orElseThrow().state()
                == ModuleState.RUNNING);
    }
}
