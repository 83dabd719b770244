/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Commands scripted through {@code bin/outpost-shell -b}, as the README tells operators to script them: a command that
 * refuses what it is given says so and makes the script exit non-zero, relative file paths start where the script was
 * started, and a typo leaves no stack trace in the log. Hub and gateway are their own processes.
 */
public class ScriptedShellIT {

    private static CloudPair pair;
    private static Path folder;

    @BeforeClass
    public static void start() throws Exception {
        pair = CloudPair.start(Map.of());
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        folder = Files.createTempDirectory(base, "operator");
        Files.createDirectories(folder.resolve("deployments"));
    }

    @AfterClass
    public static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void hubCommandsThatRefuseTheirInputFailTheScriptWithTheReason() throws Exception {
        Files.writeString(folder.resolve("deployments/bad-route.json"), deployment("bad",
                "FROM /messages/* WHERE t > INTO $upstream"));

        assertFails(pair.hub, "hub:deployment-create deployments/bad-route.json",
                "Refused, nothing changed: content.modulesContent.$edgeHub.properties.desired.routes.up: column ");
        assertFails(pair.hub, "hub:deployment-check deployments/bad-route.json",
                "Refused: content.modulesContent.$edgeHub.properties.desired.routes.up: column ");
        assertFails(pair.hub, "hub:twin-set " + CloudPair.DEVICE + " '{\"a.b\": 1}'", "Refused, nothing changed: ");
        assertFails(pair.hub, "hub:twin-query \"tags.site =\"", "Not a condition: column ");
        assertFails(pair.hub, "hub:c2d -m temperature-filter " + CloudPair.DEVICE + " hello",
                "Give both --module and --input, or neither");
        assertFails(pair.hub, "hub:deployment-create deployments/missing.json", "no file "
                + folder.resolve("deployments/missing.json") + " ('deployments/missing.json' taken from the folder the"
                + " shell was started in)");
        assertThat(pair.hub.script("hub:deployments", folder).exitCode()).isZero();
    }

    @Test
    public void aRelativePathStartsInTheFolderTheScriptWasStartedIn() throws Exception {
        Files.writeString(folder.resolve("deployments/site-x.json"), deployment("site-x",
                "FROM /messages/* INTO $upstream"));

        GatewayProcess.Scripted run = pair.hub.script("hub:deployment-check deployments/site-x.json", folder);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("Deployment 'site-x'");
    }

    @Test
    public void gatewayCommandsThatRefuseTheirInputFailTheScriptWithTheReason() throws Exception {
        assertFails(pair.gateway, "edge:deploy missing-deployment.json", "No deployment manifest: no file "
                + folder.resolve("missing-deployment.json"));
        Files.writeString(folder.resolve("routes.json"), "{\"routes\": {\"typo\": \"FROM /messages/* WHERE temp > 30"
                + " INTO $upstream\"}}");
        assertFails(pair.gateway, "edge:routes-set routes.json", "Refused, the running routes are unchanged:"
                + " route 'typo': column 29: cannot compare string with number");
        assertFails(pair.gateway, "edge:logs --since yesterday temperature-filter", "is not a time");
    }

    @Test
    public void aTypoLeavesNoStackTraceInTheLog() throws Exception {
        assertFails(pair.hub, "hub:deployment-create no-such-file.json", "no file ");
        assertFails(pair.gateway, "edge:deploy no-such-file.json", "no file ");
        assertFails(pair.gateway, "edge:logs no-such-module", "no module 'no-such-module'");

        for (GatewayProcess p : new GatewayProcess[] {pair.hub, pair.gateway}) {
            assertThat(Files.readString(p.home().resolve("data/log/karaf.log")))
                    .doesNotContain("Exception caught while executing command");
        }
    }

    @Test
    public void theHubSeesModulesNoDeploymentOwnsAndRefusesMessagesForModulesThatDoNotExist() throws Exception {
        // The gateway's sample modules run unmanaged (no deployment placed them); $edgeAgent reports them all the same.
        await("the gateway's unmanaged modules at the hub").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> pair.hub.shell("hub:device " + CloudPair.DEVICE).contains("temperature-filter"));

        assertFails(pair.hub, "hub:c2d -m no-such-module -i input1 " + CloudPair.DEVICE + " hello",
                CloudPair.DEVICE + " reports no module 'no-such-module' (its modules: ");
        GatewayProcess.Scripted sent = pair.hub.script("hub:c2d -m temperature-filter -i input1 " + CloudPair.DEVICE
                + " hello", folder);
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(sent.output()).contains("queued for " + CloudPair.DEVICE);
    }

    /** A base deployment for {@code tags.site = 'x'} with the heartbeat module and one route. */
    private static String deployment(String id, String route) {
        return "{\"id\": \"" + id + "\", \"targetCondition\": \"tags.site = 'x'\", \"content\": {\"modulesContent\":"
                + " {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"modules\": {\"heartbeat\":"
                + " {\"type\": \"bundle\", \"settings\": {\"location\": \"mvn:org.outpost/heartbeat/1.0\"}}}}},"
                + " \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {\"up\": \""
                + route + "\"}}}}}}";
    }

    private static void assertFails(GatewayProcess instance, String command, String message) throws Exception {
        GatewayProcess.Scripted run = instance.script(command, folder);
        assertThat(run.exitCode()).as("exit code of '%s', which printed: %s", command, run.output()).isEqualTo(1);
        assertThat(run.output()).as(command).contains("Error executing command: ").contains(message);
    }
}
