/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * Deployments at scale on a real fleet: a hub and three gateways, each the real distribution in its own process, with
 * different tags. Deployments are created at the hub only; the gateways converge by themselves, and the hub tells each
 * deployment's status from what they report.
 */
public class FleetIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = CloudPair.DEVICE;
    private static final String B = "gw-b";
    private static final String C = "gw-c";

    private CloudPair pair;
    private GatewayProcess hub;
    private Path dir;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static String base(String id, int priority, String target, String... modules) {
        StringBuilder m = new StringBuilder();
        for (String module : modules) {
            m.append(m.length() == 0 ? "" : ", ").append('"').append(module).append("\": {\"type\": \"bundle\","
                    + " \"settings\": {\"location\": \"mvn:org.outpost/").append(module).append('/').append(VERSION)
                    .append("\"}}");
        }
        return "{\"id\": \"" + id + "\", \"priority\": " + priority + ", \"targetCondition\": \"" + target + "\","
                + " \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
                + " \"1.1\", \"modules\": {" + m + "}}}, \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\":"
                + " \"1.1\", \"routes\": {\"all\": \"FROM /messages/* INTO $upstream\"}}}}}}";
    }

    private static String layer(String id, int priority, String target, String module, String location) {
        return "{\"id\": \"" + id + "\", \"priority\": " + priority + ", \"layered\": true, \"targetCondition\": \""
                + target + "\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired.modules."
                + module + "\": {\"type\": \"bundle\", \"settings\": {\"location\": \"" + location + "\"}}}}}}";
    }

    private void create(String deployment) throws Exception {
        Path file = Files.createTempFile(dir, "deployment", ".json");
        Files.writeString(file, deployment);
        assertThat(hub.shell("hub:deployment-create " + file)).contains("created");
    }

    private JsonNode status(String id) throws Exception {
        String out = hub.shell("hub:deployment --json " + id);
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** @return the deployments' modules that a device's $edgeAgent reports running at the hub */
    private List<String> running(String device) throws Exception {
        String out = hub.shell("hub:twin " + device + " '$edgeAgent'");
        JsonNode reported = JSON.readTree(out.substring(out.indexOf('{'))).path("reported");
        List<String> modules = new ArrayList<>();
        reported.path("modules").fields().forEachRemaining(e -> {
            // The deployment's modules: $edgeAgent also reports the gateway's unmanaged ones, "managed": false.
            if (e.getValue().path("runtimeStatus").asText().equals("running")
                    && e.getValue().path("managed").asBoolean(true)) {
                modules.add(e.getKey());
            }
        });
        modules.sort(null);
        return modules;
    }

    private void awaitSucceeded(String deployment, String... devices) {
        await(deployment + " succeeded on " + String.join(", ", devices)).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(list(status(deployment).path("succeededDevices")))
                        .containsExactlyInAnyOrder(devices));
    }

    @Test
    public void deploymentsFollowTagsPrioritiesAndLayersAcrossTheFleet() throws Exception {
        pair = CloudPair.start(Map.of());
        hub = pair.hub;
        dir = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        assertThat(hub.shell("hub:tags " + A + " '{\"site\": \"plant-1\", \"env\": \"prod\"}'"))
                .contains("\"plant-1\"");
        GatewayProcess b = pair.addGateway(B, "{\"site\": \"plant-1\", \"env\": \"test\"}");
        GatewayProcess c = pair.addGateway(C, "{\"site\": \"plant-2\", \"env\": \"prod\"}");
        b.awaitLog("Twin " + B + "/$edgeAgent connected", Duration.ofSeconds(120));
        c.awaitLog("Twin " + C + "/$edgeAgent connected", Duration.ofSeconds(120));

        // A deployment targeted by tag reaches exactly the matching gateways.
        create(base("plant-1", 10, "tags.site = 'plant-1'", "heartbeat"));
        awaitSucceeded("plant-1", A, B);
        JsonNode plant1 = status("plant-1");
        assertThat(list(plant1.path("targetedDevices"))).containsExactlyInAnyOrder(A, B);
        assertThat(plant1.path("systemMetrics").path("reportedFailedCount").asInt()).isZero();
        assertThat(running(A)).containsExactly("heartbeat");
        assertThat(running(B)).containsExactly("heartbeat");
        assertThat(c.shell("edge:list")).doesNotContain("heartbeat");

        // A layered deployment adds a module to the production subset only.
        create(layer("prod-load", 5, "tags.env = 'prod'", "load-generator", "mvn:org.outpost/load-generator/"
                + VERSION));
        awaitSucceeded("prod-load", A);
        assertThat(running(A)).containsExactly("heartbeat", "load-generator");
        assertThat(running(B)).containsExactly("heartbeat");

        // A higher-priority deployment replaces the lower one where both target; the layer stays over it.
        create(base("plant-1-v2", 20, "tags.site = 'plant-1' OR tags.site = 'plant-3'", "temperature-filter"));
        awaitSucceeded("plant-1-v2", A, B);
        assertThat(running(A)).containsExactly("load-generator", "temperature-filter");
        assertThat(running(B)).containsExactly("temperature-filter");
        assertThat(list(status("plant-1").path("appliedDevices"))).isEmpty();
        assertThat(hub.shell("hub:devices")).containsPattern(B + "\\s*\\|\\s*enabled\\s*\\|\\s*connected\\s*\\|");

        // Retagging a device moves it: gw-c joins the third plant, and gets v2 with the production layer.
        hub.shell("hub:tags " + C + " '{\"site\": \"plant-3\"}'");
        awaitSucceeded("plant-1-v2", A, B, C);
        // Narrowing a deployment's target (a staged rollout, backwards) leaves the others running what they had.
        assertThat(hub.shell("hub:deployment-update --target \"tags.site = 'plant-3'\" plant-1-v2")).contains(
                "targets 1 device(s)");
        awaitSucceeded("plant-1", A, B);
        assertThat(running(A)).containsExactly("heartbeat", "load-generator");
        assertThat(hub.shell("hub:deployment-update --target \"tags.site IN ['plant-1', 'plant-3']\""
                + " plant-1-v2")).contains("targets 3 device(s)");
        awaitSucceeded("plant-1-v2", A, B, C);
        awaitSucceeded("prod-load", A, C);
        assertThat(running(C)).containsExactly("load-generator", "temperature-filter");

        // A failure on one device shows in the deployment's status with its reason; the others are unaffected
        // and the failing gateway keeps running what it ran.
        create(layer("b-extra", 30, "deviceId = '" + B + "'", "intruder",
                "http://127.0.0.1:9/intruder.jar"));
        await("the failure of b-extra").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().untilAsserted(() -> assertThat(status("b-extra").path("failedDevices").path(B)
                        .asText()).contains("400", "intruder"));
        assertThat(hub.shell("hub:deployments")).containsPattern("b-extra\\s*\\|\\s*layered\\s*\\|\\s*30\\s*\\|.*\\|"
                + "\\s*1\\s*\\|\\s*1\\s*\\|\\s*0\\s*\\|\\s*1\\s*\\|\\s*0");
        assertThat(running(B)).containsExactly("temperature-filter");
        assertThat(list(status("plant-1-v2").path("succeededDevices"))).contains(A, C);

        // The fleet and one device from the shell.
        assertThat(hub.shell("hub:fleet")).contains("3 devices, 3 connected, 0 disabled; 4 deployments");
        assertThat(hub.shell("hub:device " + C)).contains("Deployment: plant-1-v2 + prod-load")
                .containsPattern("load-generator\\s*\\|\\s*running");
    }
}
