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

import org.junit.After;
import org.junit.Test;

/**
 * A deployment set on the hub as the {@code $edgeAgent} twin's desired properties runs on the gateway, and its status
 * comes back to the hub as the twin's reported properties: both distributions as their own processes, over the IoT Hub
 * MQTT contract with a SAS token.
 */
public class CloudDeploymentIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");
    private static final String DEVICE = CloudPair.DEVICE;

    private CloudPair pair;
    private GatewayProcess hub;
    private GatewayProcess gateway;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void aDeploymentSetOnTheHubRunsOnTheGatewayAndItsStatusComesBack() throws Exception {
        // Over TLS, as the gateway reaches a hub that is not on its own machine.
        pair = CloudPair.start(Map.of(), true);
        hub = pair.hub;
        gateway = pair.gateway;
        gateway.awaitLog("Twin " + DEVICE + "/$edgeAgent connected to ssl://127.0.0.1:", Duration.ofSeconds(10));
        gateway.awaitLog("Upstream connected to ssl://127.0.0.1:", Duration.ofSeconds(60));
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();

        Path agent = Files.createTempFile(base, "agent", ".json");
        Files.writeString(agent, "{\"schemaVersion\": \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\","
                + " \"settings\": {\"location\": \"mvn:org.outpost/heartbeat/" + VERSION + "\"}}}}");
        long t0 = System.nanoTime();
        assertThat(hub.shell("hub:twin-set --replace -m '$edgeAgent' -f " + agent + " " + DEVICE))
                .contains("at version 2");

        await("heartbeat running on the gateway").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> gateway.shell("edge:status").matches(
                        "(?s).*heartbeat\\s*\\|\\s*bundle\\s*\\|[^\\n]*running\\s*\\|\\s*running.*"));
        long applied = (System.nanoTime() - t0) / 1_000_000;

        await("the status reported at the hub").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String twin = hub.shell("hub:twin " + DEVICE + " '$edgeAgent'");
                    return twin.contains("\"lastDesiredVersion\" : 2") && twin.contains("\"code\" : 200")
                            && twin.matches("(?s).*\"heartbeat\" : \\{[^}]*\"runtimeStatus\" : \"running\".*");
                });
        long reported = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("CloudDeploymentIT: desired set -> module running %d ms, -> status at the hub %d ms%n",
                applied, reported);

        // edgeAgent's built-in methods, called from the hub.
        assertThat(hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " ping")).contains("Status: 200");
        assertThat(hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " GetModuleLogs '{\"schemaVersion\": \"1.0\","
                + " \"items\": [{\"id\": \"heart.*\", \"filter\": {\"tail\": 5, \"since\": \"1h\"}}]}'"))
                .contains("Status: 200", "\"id\" : \"heartbeat\"", "\"payload\"");
        assertThat(hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " RestartModule '{\"schemaVersion\": \"1.0\","
                + " \"id\": \"heartbeat\"}'")).contains("Status: 200");
        assertThat(hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " Reboot")).contains("Status: 501",
                "no method 'Reboot' on $edgeAgent");

        // Routes come as the $edgeHub twin; a bad set is refused with the reason and the running routes stay.
        Path routes = Files.createTempFile(base, "routes", ".json");
        Files.writeString(routes, "{\"schemaVersion\": \"1.1\", \"routes\": {\"beats\": \"FROM"
                + " /messages/modules/heartbeat/* INTO $upstream\"}}");
        hub.shell("hub:twin-set --replace -m '$edgeHub' -f " + routes + " " + DEVICE);
        await("the routes on the gateway").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> gateway.shell("edge:routes").contains("/messages/modules/heartbeat/*"));
        await("heartbeats at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> hub.shell("hub:telemetry -d " + DEVICE).contains("heartbeat"));
        Files.writeString(routes, "{\"schemaVersion\": \"1.1\", \"routes\": {\"bad\": \"FROM /messages/* WHERE"
                + " temp > INTO $upstream\"}}");
        hub.shell("hub:twin-set --replace -m '$edgeHub' -f " + routes + " " + DEVICE);
        await("the refusal at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String twin = hub.shell("hub:twin " + DEVICE + " '$edgeHub'");
                    return twin.contains("\"lastDesiredVersion\" : 3") && twin.contains("\"code\" : 400");
                });
        assertThat(gateway.shell("edge:routes")).contains("/messages/modules/heartbeat/*");

        // The gateway is away while the deployment changes twice; when it is back it converges to the latest.
        gateway.stop();
        Files.writeString(agent, "{\"schemaVersion\": \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\","
                + " \"status\": \"stopped\", \"settings\": {\"location\": \"mvn:org.outpost/heartbeat/" + VERSION
                + "\"}}}}");
        assertThat(hub.shell("hub:twin-set --replace -m '$edgeAgent' -f " + agent + " " + DEVICE))
                .contains("at version 3");
        Files.writeString(agent, "{\"schemaVersion\": \"1.1\", \"modules\": {\"load-generator\": {\"type\":"
                + " \"bundle\", \"settings\": {\"location\": \"mvn:org.outpost/load-generator/" + VERSION + "\"}}}}");
        assertThat(hub.shell("hub:twin-set --replace -m '$edgeAgent' -f " + agent + " " + DEVICE))
                .contains("at version 4");
        gateway.start();
        await("the gateway at the latest deployment").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                    String status = gateway.shell("edge:status");
                    return status.contains("Last deployment: version 4, 200") && status.contains("load-generator")
                            && !status.contains("heartbeat");
                });
        await("the hub sees it").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String twin = hub.shell("hub:twin " + DEVICE + " '$edgeAgent'");
            return twin.contains("\"lastDesiredVersion\" : 4") && twin.contains("\"load-generator\"")
                    && !twin.contains("\"heartbeat\"");
        });
    }
}
