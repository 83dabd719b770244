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
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;

/** Container modules: the gateway supervises a process, restarts it by its policy, keeps its exit code and output. */
public class ContainerIT extends OutpostTestSupport {

    @Inject
    private Deployer deployer;

    @Override
    protected Option[] extraOptions() {
        return OptionUtils.combine(super.extraOptions(),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "restart.backoff.ms", "300"),
                // No engine by that name exists, so an image module gets the "no container engine" error everywhere.
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "container.engines", "outpost-no-engine"));
    }

    private static String manifest(String modules) {
        return "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {" + modules + "}}}}}";
    }

    @Test
    public void aProcessModuleIsSupervisedRestartedAndItsExitCodeKept() throws Exception {
        String worker = "\"worker\": {\"type\": \"container\", \"restartPolicy\": \"always\", \"env\": {\"GREETING\":"
                + " {\"value\": \"hello\"}}, \"settings\": {\"command\": [\"/bin/sh\", \"-c\","
                + " \"echo $GREETING from $OUTPOST_MODULE_ID; exec sleep 300\"]}}";
        String quitter = "\"quitter\": {\"type\": \"container\", \"restartPolicy\": \"never\", \"settings\":"
                + " {\"command\": [\"/bin/sh\", \"-c\", \"sleep 1; exit 3\"]}}";
        DeploymentResult r = deployer.deploy(manifest(worker + ", " + quitter), false);
        assertThat(r.code()).as(r.description()).isEqualTo(200);
        assertThat(runtime.module("worker").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        assertThat(shell("edge:list")).containsPattern("worker\\s*\\|\\s*container\\s*\\|\\s*deployment\\s*\\|"
                + "\\s*running");
        await().atMost(Duration.ofSeconds(10)).until(() -> shell("edge:logs worker").contains("hello from worker"));

        // The process ends with exit code 3 and its policy is never: it stays down, failed, with its exit code.
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("quitter")
                .runtimeStatus().equals("failed"));
        assertThat(deployer.status().modules().get("quitter").exitCode()).isEqualTo(3);
        assertThat(deployer.status().modules().get("quitter").statusDescription()).contains("exited with code 3");

        // Killed from outside: its policy always starts it again.
        ProcessHandle first = worker();
        first.destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("worker")
                .restartCount() == 1 && runtime.module("worker").orElseThrow().state() == ModuleState.RUNNING);
        ProcessHandle second = worker();
        assertThat(second.pid()).isNotEqualTo(first.pid());

        // An image needs a container engine; without one the deployment is refused and nothing changes.
        DeploymentResult image = deployer.deploy(manifest(worker + ", \"legacy\": {\"type\": \"docker\","
                + " \"settings\": {\"image\": \"acme/legacy:2.1\", \"createOptions\": \"{}\"}}"), false);
        assertThat(image.code()).isEqualTo(400);
        assertThat(image.description()).contains("modules.legacy.settings.image", "no container engine");
        assertThat(runtime.module("worker").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);

        // Removed by a deployment: the process is stopped.
        assertThat(deployer.deploy(manifest(quitter), false).code()).isEqualTo(200);
        assertThat(runtime.module("worker")).isEmpty();
        await().atMost(Duration.ofSeconds(15)).until(() -> !second.isAlive());
    }

    /** @return the worker's process: a child of the gateway running "sleep 300" */
    private static ProcessHandle worker() {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive() && p.info().commandLine().orElse("")
                .contains("sleep 300")).findFirst().orElseThrow();
    }
}
