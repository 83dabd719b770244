/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

/**
 * Health checks end to end, on one gateway and hub pair: the gateway's checks find a clock a minute off (against an
 * NTP server this test runs, a minute ahead), a port it must listen on held by another process (this test's JVM) and
 * one nobody listens on; {@code edge:check} says so with what to do, and {@code --tags} selects; the {@code $edgeAgent}
 * twin carries the health to the hub, whose REST API serves it ({@code /api/devices/{id}/health}, {@code /api/health});
 * a fixed configuration clears the check there too. Then a rollout at the hub, followed with
 * {@code hub:deployment --watch} to its end.
 */
public class ChecksIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");

    private CloudPair pair;
    private DatagramSocket ntp;
    private ServerSocket held;

    @After
    public void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (ntp != null) {
            ntp.close();
        }
        if (held != null) {
            held.close();
        }
    }

    /** An NTP server whose clock is a minute ahead, answering every request until closed. */
    private int ntpServerAMinuteAhead() throws Exception {
        ntp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            byte[] buf = new byte[48];
            while (!ntp.isClosed()) {
                try {
                    DatagramPacket request = new DatagramPacket(buf, 48);
                    ntp.receive(request);
                    byte[] answer = new byte[48];
                    answer[0] = 0x1C; // version 3, server
                    ByteBuffer b = ByteBuffer.wrap(answer);
                    b.putLong(24, ByteBuffer.wrap(buf).getLong(40));
                    long ntpTime = ntpTime(Instant.now().plusSeconds(60));
                    b.putLong(32, ntpTime);
                    b.putLong(40, ntpTime);
                    ntp.send(new DatagramPacket(answer, 48, request.getSocketAddress()));
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }, "it-ntp");
        t.setDaemon(true);
        t.start();
        return ntp.getLocalPort();
    }

    private static long ntpTime(Instant t) {
        return (t.getEpochSecond() + 2_208_988_800L) << 32 | ((long) t.getNano() << 32) / 1_000_000_000L;
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void checksReachTheShellTheTwinAndTheHubAndARolloutIsFollowedToItsEnd() throws Exception {
        int ntpPort = ntpServerAMinuteAhead();
        held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int free = GatewayProcess.freePort();
        pair = CloudPair.start(Map.of(
                "org.outpost.health", Map.of("ntp.server", "127.0.0.1:" + ntpPort, "ports", held.getLocalPort()
                        + ":the test's listener, " + free + ":nobody's", "cache.seconds", "0"),
                "org.outpost.twin", Map.of("report.interval.seconds", "1", "health.interval.seconds", "1")));
        GatewayProcess gateway = pair.gateway;

        // The shell: each check with its level and what to do.
        await("edge:check").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(gateway.shell("edge:check --json"))
                .containsPattern("\"check\"\\s*:\\s*\"clock\"\\s*,\\s*\"result\"\\s*:\\s*\"warn\"")
                .containsPattern("the clock is (59\\.9|60\\.0)\\d* s behind 127\\.0\\.0\\.1:" + ntpPort)
                .containsPattern("\"check\"\\s*:\\s*\"ports\"\\s*,\\s*\"result\"\\s*:\\s*\"critical\"")
                .contains(held.getLocalPort() + " (the test's listener) is taken by another process",
                        "nothing listens on " + free + " (nobody's)", "ss -ltnp")
                .containsPattern("\"check\"\\s*:\\s*\"certificate expiry\"\\s*,\\s*\"result\"\\s*:\\s*\"ok\"")
                .containsPattern("\"check\"\\s*:\\s*\"cloud connection\"\\s*,\\s*\"result\"\\s*:\\s*\"ok\"")
                .contains("\"check\" : \"configuration\"", "\"check\" : \"upstream DNS\"")
                .containsPattern("\"status\"\\s*:\\s*\"critical\""));
        String table = gateway.shell("edge:check --tags storage");
        assertThat(table).containsPattern("disk space\\s*\\|\\s*(ok|warn)")
                .containsPattern("broker storage\\s*\\|\\s*(ok|warn)").doesNotContain("clock")
                .containsPattern("2 checks: .* \\(tags storage\\)");

        // The twin carries the health to the hub; its REST API serves it.
        GatewayProcess hub = pair.hub;
        String url = "http://127.0.0.1:" + hub.httpPort();
        Path tokenFile = hub.home().resolve("data/outpost/hub/api-token");
        await("the API token").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
        String token = Files.readString(tokenFile).strip();
        HttpClient http = HttpClient.newHttpClient();
        String health = url + "/api/devices/" + CloudPair.DEVICE + "/health";
        HttpResponse<String> critical = await("the health at the hub").atMost(Duration.ofSeconds(60))
                .ignoreExceptions().until(() -> get(http, health, token), r -> r.statusCode() == 200
                        && r.body().contains("\"status\" : \"critical\""));
        assertThat(critical.body()).contains("\"connectionState\" : \"connected\"", "\"check\" : \"ports\"",
                "\"check\" : \"clock\"", "is taken by another process", "install and enable an NTP client");
        assertThat(get(http, url + "/api/health?atLeast=critical", token).body()).contains("\"deviceId\" : \""
                + CloudPair.DEVICE + "\"");

        // The port fixed in the configuration: the check clears on the gateway, and the hub hears it.
        gateway.shell("config:property-set -p org.outpost.health ports \"\"");
        HttpResponse<String> fixed = await("the health after the fix").atMost(Duration.ofSeconds(30))
                .ignoreExceptions().until(() -> get(http, health, token), r -> r.statusCode() == 200
                        && !r.body().contains("\"check\" : \"ports\""));
        assertThat(fixed.body()).as("the clock is still a minute off").contains("\"check\" : \"clock\"");

        // A rollout at the hub, followed to its end.
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/deployments/watch-1"))
                .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString("{\"priority\":"
                        + " 10, \"targetCondition\": \"deviceId = '" + CloudPair.DEVICE + "'\", \"content\":"
                        + " {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
                        + " \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\", \"settings\": {\"location\":"
                        + " \"mvn:org.outpost/heartbeat/" + VERSION + "\"}}}}}, \"$edgeHub\": {\"properties.desired\":"
                        + " {\"schemaVersion\": \"1.1\", \"routes\": {}}}}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String watched = hub.shell("hub:deployment --watch --timeout 120 watch-1");
        assertThat(watched).contains("[####################] applied 1/1, succeeded 1, failed 0, pending 0")
                .containsPattern(CloudPair.DEVICE + "\\s*\\|\\s*succeeded");
    }
}
