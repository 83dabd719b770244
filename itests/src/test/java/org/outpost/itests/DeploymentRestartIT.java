/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.After;
import org.junit.Test;

/**
 * The last good deployment survives a crash: the gateway's JVM is killed with SIGKILL (its container process lives
 * on, orphaned), started again, and runs the same modules without any cloud, the container module once, not twice.
 */
public class DeploymentRestartIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");
    private static final String MARKER = "sleep 601";

    private GatewayProcess gateway;

    @After
    public void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        workers().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    public void theLastGoodDeploymentComesBackAfterTheGatewayIsKilled() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("outpost.exam.dir", "target"))
                .toAbsolutePath().getParent(), "restart");
        gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")), dir);
        // The worker is a process module, which the deployment policy allows only when told to.
        gateway.config("org.outpost.deployment", java.util.Map.of("process.modules.enabled", "true"));
        Files.writeString(gateway.home().resolve("etc/deployment.json"), "{\"modulesContent\": {\"$edgeAgent\":"
                + " {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"modules\": {"
                + "\"heartbeat\": {\"type\": \"bundle\", \"settings\": {\"location\": \"mvn:org.outpost/heartbeat/"
                + VERSION + "\"}},"
                + "\"worker\": {\"type\": \"container\", \"settings\": {\"command\": [\"/bin/sh\", \"-c\","
                + " \"echo started; exec " + MARKER + "\"]}}}}}}}");
        Path applied = gateway.home().resolve("data/outpost/deployment/current.json");

        gateway.start();
        await("the deployment applied").atMost(Duration.ofSeconds(120)).until(() -> Files.exists(applied));
        await().atMost(Duration.ofSeconds(30)).until(() -> workers().size() == 1);
        long before = workers().get(0).pid();

        gateway.killJvm();
        assertThat(workers()).as("the container process outlived the gateway").hasSize(1);

        gateway.start();
        // The shell answers once the gateway is up again; until then it fails and is asked again.
        await("modules running again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    String status = gateway.shell("edge:status");
                    return status.matches("(?s).*heartbeat\\s*\\|\\s*bundle\\s*\\|[^\\n]*running\\s*\\|\\s*running.*")
                            && status.matches("(?s).*worker\\s*\\|\\s*container\\s*\\|[^\\n]*running\\s*\\|\\s*running.*");
                });
        List<ProcessHandle> after = workers();
        assertThat(after).as("one worker: the orphan was ended, a new one started").hasSize(1);
        assertThat(after.get(0).pid()).isNotEqualTo(before);
    }

    private static List<ProcessHandle> workers() {
        return ProcessHandle.allProcesses().filter(p -> p.isAlive() && p.info().commandLine().orElse("")
                .contains(MARKER)).toList();
    }
}
