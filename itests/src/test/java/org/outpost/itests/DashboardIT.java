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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

/**
 * The hub's REST API and dashboard, with a real gateway connected: the API over HTTP (token, errors with their path),
 * and the dashboard in a real headless Chromium driven by Playwright ({@code src/test/js/dashboard.mjs}): the device
 * list, a deployment created on the page, the gateway converging, the device's detail, a refused deployment.
 */
public class DashboardIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");

    private CloudPair pair;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void theDashboardCreatesADeploymentAndShowsTheGatewayConverge() throws Exception {
        pair = CloudPair.start(Map.of());
        GatewayProcess hub = pair.hub;
        String url = "http://127.0.0.1:" + hub.httpPort();
        Path tokenFile = hub.home().resolve("data/outpost/hub/api-token");
        await("the API token").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
        String token = Files.readString(tokenFile).strip();
        HttpClient http = HttpClient.newHttpClient();

        // The API: the description is open, everything else needs the token.
        HttpResponse<String> openapi = await("the REST API").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/api/openapi.json")).build(),
                        HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
        assertThat(openapi.body()).contains("\"openapi\"", "/api/deployments/{deploymentId}");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/api/devices")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(url + "/api/deployments/x"))
                .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"targetCondition\": \"tags.a = 1\", \"layered\": true, \"content\": {\"modulesContent\":"
                                + " {\"m\": {\"properties.desired.x\": 1, \"settings\": 2}}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"path\" : \"content.modulesContent.m.settings\"");
        HttpResponse<String> tags = http.send(HttpRequest.newBuilder(URI.create(url + "/api/devices/"
                + CloudPair.DEVICE + "/tags")).header("Authorization", "Bearer " + token).method("PATCH",
                        HttpRequest.BodyPublishers.ofString("{\"site\": \"plant-9\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tags.statusCode()).isEqualTo(200);
        assertThat(hub.shell("hub:tags " + CloudPair.DEVICE)).contains("\"plant-9\"");

        // The dashboard, in Chromium.
        Path dir = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        Path deployment = Files.createTempFile(dir, "dashboard-deployment", ".json");
        Files.writeString(deployment, "{\"id\": \"dash-1\", \"priority\": 10, \"targetCondition\": \"tags.site ="
                + " 'plant-9'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\", \"settings\":"
                + " {\"location\": \"mvn:org.outpost/heartbeat/" + VERSION + "\"}}}}}, \"$edgeHub\":"
                + " {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {}}}}}}");
        String modules = System.getProperty("outpost.playwright.modules");
        assertThat(Path.of(modules, "playwright-core")).as("Playwright-core, installed by the itests build (npm)")
                .isDirectory();
        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src/test/js/dashboard.mjs").toAbsolutePath()
                .toString(), url, token, CloudPair.DEVICE, deployment.toString(), dir.toString())
                .redirectErrorStream(true);
        pb.environment().put("PLAYWRIGHT_MODULES", modules);
        pb.environment().put("CHROMIUM", System.getProperty("outpost.chromium", "/usr/bin/chromium"));
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(node.waitFor()).as(out).isZero();
        assertThat(out).contains("step: the device list shows " + CloudPair.DEVICE + " connected",
                "step: the deployment shows 1 device succeeded", "step: the device detail shows heartbeat running",
                "step: a bad deployment is refused", "DASHBOARD OK");

        // What the page did is what the hub holds.
        assertThat(hub.shell("hub:deployments")).contains("dash-1").doesNotContain("broken");
        assertThat(pair.gateway.shell("edge:list")).contains("heartbeat");

        // Guessing the token: after ten wrong ones in a minute, further wrong ones from the address get 429 and are
        // told when to come back; the right token from the same address (a caller behind the same proxy) passes.
        HttpRequest.Builder guess = HttpRequest.newBuilder(URI.create(url + "/api/fleet"));
        for (int i = 0; i < 10; i++) {
            assertThat(http.send(guess.copy().header("Authorization", "Bearer guess-" + i).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = http.send(guess.copy().header("Authorization", "Bearer guess-10").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(http.send(guess.copy().header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(Files.readString(hub.home().resolve("data/log/karaf.log"))).contains(
                "REST API: GET /fleet from 127.0.0.1 with a wrong token").doesNotContain("guess-3");
    }
}
