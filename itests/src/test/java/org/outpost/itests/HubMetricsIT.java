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
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * Metrics at the hub, end to end: the gateway uploads its metrics every second (etc/org.outpost.metrics.upload.cfg) as
 * IoT Edge metrics-collector messages through store and forward; the hub stores them as series and serves them
 * ({@code /api/metrics}); while the hub is away they wait in the gateway's upstream queue and arrive when it is back,
 * with the times they were taken; and the dashboard's charts ({@code src/test/js/charts.mjs}, headless Chromium) have
 * points, which a screenshot shows. One gateway/hub pair for all of it.
 */
public class HubMetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudPair pair;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void metricsReachTheHubWhileItIsUpAndAfterItWasAwayAndTheChartsDrawThem() throws Exception {
        pair = CloudPair.start(Map.of(
                "org.outpost.metrics.upload", Map.of("interval.seconds", "1"),
                "org.outpost.samples.sensor", Map.of("interval.ms", "200")));
        GatewayProcess hub = pair.hub;
        hub.config("org.outpost.hub.metrics", Map.of("fleet.sample.seconds", "1"));
        String url = "http://127.0.0.1:" + hub.httpPort();
        HttpClient http = HttpClient.newHttpClient();
        String token = token(hub);
        String query = url + "/api/metrics/devices/" + CloudPair.DEVICE + "?since=PT10M&resolution=raw&points=5000";

        // Up: the gateway's series arrive, a point a second, as the metrics-collector messages the telemetry shows.
        JsonNode up = await("the gateway's metrics at the hub").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> get(http, token, query),
                        a -> points(a) >= 10);
        assertThat(up.path("series").findValuesAsText("name")).as("series: %s", up).anyMatch(n -> n.contains(
                "queue_length")).anyMatch(n -> n.contains("messages_sent_total"));
        assertThat(Files.readString(hub.home().resolve("data/log/telemetry.log"))).contains(CloudPair.DEVICE
                + "/metricscollector", "id=origin-iotedge-metrics-collector", "\"TimeGeneratedUtc\"");

        // Away: the hub stops; the gateway keeps uploading into its queue. Back: the points taken meanwhile arrive.
        hub.stop();
        Instant away = Instant.now();
        // Five uploads' worth (one a second) while the gateway knows the hub is gone.
        await("metrics queued at the gateway").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Duration.between(away, Instant.now()).toSeconds() >= 5 && JSON.readTree(pair.gateway
                        .shell("edge:upstream --json")).path("queued").asLong() >= 5);
        Instant back = Instant.now();
        hub.start();
        JsonNode after = await("the metrics taken while the hub was away").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> get(http, token, query),
                        a -> pointsBetween(a, away, back) >= 3);
        assertThat(pointsBetween(after, away, back)).isGreaterThanOrEqualTo(3);

        // The fleet's own series, sampled by the hub.
        JsonNode fleet = await("the fleet's series").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> get(http, token, url + "/api/metrics/fleet?name="
                        + "outpost_fleet_devices_connected&since=PT10M"), a -> points(a) >= 2);
        assertThat(fleet.path("series").get(0).path("points").findValuesAsText("v")).as("devices connected: %s", fleet)
                .contains("1.0");

        // The charts, in Chromium.
        Path dir = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        String modules = System.getProperty("outpost.playwright.modules");
        assertThat(Path.of(modules, "playwright-core")).as("Playwright-core, installed by the itests build (npm)")
                .isDirectory();
        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src/test/js/charts.mjs").toAbsolutePath().toString(),
                url, token, CloudPair.DEVICE, dir.toString()).redirectErrorStream(true);
        pb.environment().put("PLAYWRIGHT_MODULES", modules);
        pb.environment().put("CHROMIUM", System.getProperty("outpost.chromium", "/usr/bin/chromium"));
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(node.waitFor()).as(out).isZero();
        assertThat(out).contains("step: the fleet chart's screenshot shows its line",
                "step: the messages chart's screenshot shows its line", "CHARTS OK");
    }

    private static String token(GatewayProcess hub) throws Exception {
        Path tokenFile = hub.home().resolve("data/outpost/hub/api-token");
        await("the API token").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
        return Files.readString(tokenFile).strip();
    }

    private static JsonNode get(HttpClient http, String token, String uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer "
                + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(uri + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** @return the most points any one series has */
    private static int points(JsonNode answer) {
        int max = 0;
        for (JsonNode s : answer.path("series")) {
            max = Math.max(max, s.path("points").size());
        }
        return max;
    }

    /** @return the most points any one series has taken between two times */
    private static int pointsBetween(JsonNode answer, Instant from, Instant to) {
        int max = 0;
        for (JsonNode s : answer.path("series")) {
            int n = 0;
            for (JsonNode p : s.path("points")) {
                long t = p.path("t").asLong();
                n += t >= from.toEpochMilli() && t <= to.toEpochMilli() ? 1 : 0;
            }
            max = Math.max(max, n);
        }
        return max;
    }
}
