/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * The CI-sized run of the fleet load: 1,000 simulated gateways ({@link SimulatedFleet}) against one hub process. They
 * are imported in bulk with tags, connect, and converge to a deployment targeted by tag; 100 of them then move to a
 * higher-priority deployment by their site tag, and the others stay. Times are measured by the benchmark
 * ({@code FleetBenchmark}), not asserted here.
 */
public class FleetScaleIT {

    private static final int DEVICES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayProcess hub;
    private SimulatedFleet fleet;

    @After
    public void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private JsonNode metrics(String deployment) throws Exception {
        String out = hub.shell("hub:deployment --json " + deployment);
        return JSON.readTree(out.substring(out.indexOf('{'))).path("systemMetrics");
    }

    @Test
    public void aThousandGatewaysConvergeToADeploymentAndMoveWithTheirTags() throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "scale-hub"));
        int port = GatewayProcess.freePort();
        hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
        // A thousand simulated devices, all from 127.0.0.1: one address, over the default cap per address.
        hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(port), "tls.port", "-1",
                "max.connections.per.address", "5000"));
        hub.start();
        await("the hub's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> hub.shell("hub:devices").contains("No devices"));

        Map<String, String> keys = new LinkedHashMap<>();
        StringBuilder jsonl = new StringBuilder();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < DEVICES; i++) {
            String id = String.format(Locale.ROOT, "sim-%04d", i);
            byte[] key = new byte[32];
            random.nextBytes(key);
            keys.put(id, Base64.getEncoder().encodeToString(key));
            jsonl.append("{\"id\": \"").append(id).append("\", \"primaryKey\": \"").append(keys.get(id))
                    .append("\", \"tags\": {\"fleet\": \"ci\", \"site\": \"site-").append(i % 10).append("\"}}\n");
        }
        Path devices = hub.home().resolve("devices.jsonl");
        Files.writeString(devices, jsonl);
        assertThat(hub.shell("hub:device-import " + devices)).contains("Imported 1000 device(s), 1000 with tags");

        fleet = new SimulatedFleet(2);
        fleet.connectGateways(port, keys);
        assertThat(fleet.refused.get()).isZero();
        assertThat(fleet.connected()).isEqualTo(DEVICES);

        Path file = hub.home().resolve("all.json");
        Files.writeString(file, SimulatedFleet.deployment("all", 1, "tags.fleet = 'ci'", "agent"));
        assertThat(hub.shell("hub:deployment-create " + file)).contains("It targets 1000 device(s)");
        await("1,000 gateways reporting the deployment").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> metrics("all").path("reportedSuccessfulCount").asInt() == DEVICES);
        assertThat(fleet.arrivals).hasSize(DEVICES);
        assertThat(fleet.lastDesired.get("sim-0042")).contains("\"agent\"");

        // A higher priority for one site: its 100 gateways move, the other 900 stay.
        fleet.forgetArrivals();
        Files.writeString(file, SimulatedFleet.deployment("site-3-canary", 10, "tags.site = 'site-3'", "canary"));
        assertThat(hub.shell("hub:deployment-create " + file)).contains("It targets 100 device(s)");
        await("the site's gateways on the canary").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> metrics("site-3-canary").path("reportedSuccessfulCount")
                        .asInt() == DEVICES / 10);
        JsonNode all = metrics("all");
        assertThat(all.path("targetedCount").asInt()).isEqualTo(DEVICES);
        assertThat(all.path("appliedCount").asInt()).isEqualTo(DEVICES - DEVICES / 10);
        assertThat(fleet.arrivals).hasSize(DEVICES / 10).containsKey("sim-0003").doesNotContainKey("sim-0004");
        assertThat(fleet.lastDesired.get("sim-0003")).contains("\"canary\"").doesNotContain("\"agent\"");
        assertThat(fleet.lastDesired.get("sim-0004")).contains("\"agent\"");

        // The fleet as the REST API shows it.
        String token = Files.readString(hub.home().resolve("data/outpost/hub/api-token")).strip();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + hub.httpPort() + "/api/fleet")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode summary = JSON.readTree(response.body());
        assertThat(summary.path("devices").asInt()).isEqualTo(DEVICES);
        assertThat(summary.path("connected").asInt()).isEqualTo(DEVICES);
        assertThat(summary.path("failingModules")).isEmpty();
        // A page of one site's devices, found by a condition.
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + hub.httpPort() + "/api/devices?limit=5&offset=10&q=" + java.net.URLEncoder
                        .encode("tags.site = 'site-3'", java.nio.charset.StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("X-Total-Count")).contains("100");
        JsonNode devicesPage = JSON.readTree(page.body());
        assertThat(devicesPage).hasSize(5);
        assertThat(devicesPage.get(0).path("deviceId").asText()).isEqualTo("sim-0103");
        assertThat(devicesPage.get(0).path("deployment").asText()).isEqualTo("site-3-canary");
        assertThat(devicesPage.get(0).path("modules").path("canary").asText()).isEqualTo("running");
    }
}
