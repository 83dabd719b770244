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
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;
import org.outpost.testing.postgres.PostgresServer;

/**
 * Two hub nodes, each the real hub distribution in its own process, sharing one PostgreSQL (a cluster of its own,
 * started by the test) and serving one fleet of simulated gateways together: half of them connect to each node. What
 * one node is told (devices imported, a deployment, a retag, a disabled device) the devices on the other get, and
 * both nodes show the same fleet.
 */
public class HubClusterIT {

    private static final int DEVICES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresServer postgres;
    private GatewayProcess a;
    private GatewayProcess b;
    private SimulatedFleet fleet;
    /** The master key both nodes seal device keys with: the same file in each node's etc/ (docs/security.md). */
    private final String masterKey = masterKey();

    private static String masterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @After
    public void stop() {
        if (fleet != null) {
            fleet.close();
        }
        for (GatewayProcess hub : new GatewayProcess[] {a, b}) {
            if (hub != null) {
                hub.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private GatewayProcess node(Path base, String name, int port) throws Exception {
        GatewayProcess hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "cluster-" + name));
        hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
        hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(port), "tls.port", "-1"));
        hub.config("org.outpost.hub.storage", Map.of("url", postgres.url(), "user", PostgresServer.USER,
                "password", PostgresServer.PASSWORD, "node.name", name));
        Path keyFile = hub.home().resolve("etc/outpost-master.key");
        Files.writeString(keyFile, masterKey + "\n");
        Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return hub.start();
    }

    private static JsonNode metrics(GatewayProcess hub, String deployment) throws Exception {
        String out = hub.shell("hub:deployment --json " + deployment);
        return JSON.readTree(out.substring(out.indexOf('{'))).path("systemMetrics");
    }

    private static JsonNode api(GatewayProcess hub, String path) throws Exception {
        String token = Files.readString(hub.home().resolve("data/outpost/hub/api-token")).strip();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + hub.httpPort() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** @return the versions of the hub's schema migrations in the source tree, in order (1, 2, ..., 5.1, ...) */
    private static List<String> migrations() throws Exception {
        Path dir = Path.of("../bundles/org.outpost.hub.storage/src/main/resources/org/outpost/hub/storage/migration");
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9_]+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .sorted(java.util.Comparator.comparing((String v) -> Integer.parseInt(v.split("\\.")[0]))
                            .thenComparing(v -> v.contains(".") ? Integer.parseInt(v.split("\\.")[1]) : -1))
                    .toList();
        }
    }

    @Test
    public void twoNodesOverOnePostgresqlServeOneFleet() throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        postgres = PostgresServer.start(GatewayProcess.freePort(), false);
        int portA = GatewayProcess.freePort();
        int portB = GatewayProcess.freePort();
        a = node(base, "hub-a", portA);
        b = node(base, "hub-b", portB);
        for (GatewayProcess hub : new GatewayProcess[] {a, b}) {
            await("a hub node's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> hub.shell("hub:fleet").contains("devices"));
        }
        // One schema, migrated once by whichever node came first; both nodes registered.
        assertThat(postgres.sql("SELECT version FROM outpost_schema_history WHERE version IS NOT NULL ORDER BY"
                + " installed_rank")).isEqualTo(String.join("\n", migrations()));
        assertThat(postgres.sql("SELECT COUNT(*) FROM hub_nodes")).isEqualTo("2");

        // Devices imported through node A; half connect to A, half to B.
        Map<String, String> keysA = new LinkedHashMap<>();
        Map<String, String> keysB = new LinkedHashMap<>();
        StringBuilder jsonl = new StringBuilder();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < DEVICES; i++) {
            String id = String.format(Locale.ROOT, "sim-%03d", i);
            byte[] key = new byte[32];
            random.nextBytes(key);
            String k = Base64.getEncoder().encodeToString(key);
            (i % 2 == 0 ? keysA : keysB).put(id, k);
            jsonl.append("{\"id\": \"").append(id).append("\", \"primaryKey\": \"").append(k).append("\", \"tags\":"
                    + " {\"fleet\": \"ci\", \"site\": \"site-").append(i % 10).append("\"}}\n");
        }
        Path devices = a.home().resolve("devices.jsonl");
        Files.writeString(devices, jsonl);
        assertThat(a.shell("hub:device-import " + devices)).contains("Imported 200 device(s), 200 with tags");
        fleet = new SimulatedFleet(2);
        fleet.connectGateways(portA, keysA);
        fleet.connectGateways(portB, keysB);
        assertThat(fleet.refused.get()).isZero();
        assertThat(fleet.connected()).isEqualTo(DEVICES);

        // Each node counts the other's connections (they are written every few seconds).
        for (GatewayProcess hub : new GatewayProcess[] {a, b}) {
            await("both nodes' connections, as each node sees them").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> api(hub, "/api/fleet").path("connected").asInt() == DEVICES);
        }

        // A deployment created at node B reaches the gateways connected to node A as well; both nodes tell the
        // same status from what all of them report.
        Path file = b.home().resolve("all.json");
        Files.writeString(file, SimulatedFleet.deployment("all", 1, "tags.fleet = 'ci'", "agent"));
        assertThat(b.shell("hub:deployment-create " + file)).contains("It targets 200 device(s)");
        await("200 gateways on two nodes reporting the deployment").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> metrics(a, "all").path("reportedSuccessfulCount").asInt() == DEVICES);
        assertThat(metrics(b, "all").path("reportedSuccessfulCount").asInt()).isEqualTo(DEVICES);
        assertThat(fleet.arrivals).hasSize(DEVICES);
        assertThat(fleet.lastDesired.get("sim-000")).contains("\"agent\"");
        assertThat(fleet.lastDesired.get("sim-001")).contains("\"agent\"");

        // A canary created at node A for one site: its devices on both nodes move.
        fleet.forgetArrivals();
        Files.writeString(file, SimulatedFleet.deployment("canary", 10, "tags.site = 'site-3'", "canary"));
        assertThat(a.shell("hub:deployment-create " + file)).contains("It targets 20 device(s)");
        await("the site's gateways on the canary").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> metrics(b, "canary").path("reportedSuccessfulCount").asInt() == 20);
        assertThat(fleet.lastDesired.get("sim-003")).contains("\"canary\"");
        assertThat(fleet.lastDesired.get("sim-013")).contains("\"canary\"");
        assertThat(fleet.lastDesired.get("sim-004")).contains("\"agent\"");

        // Retagged through node B, a device connected to node A joins the canary.
        assertThat(keysA).containsKey("sim-004");
        b.shell("hub:tags sim-004 '{\"site\": \"site-3\"}'");
        await("the retagged gateway on the canary").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> String.valueOf(fleet.lastDesired.get("sim-004"))
                        .contains("\"canary\""));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> metrics(a, "canary").path("reportedSuccessfulCount").asInt() == 21);

        // A direct method called through node A reaches a gateway connected to node B, and its answer comes back.
        String answer = a.shell("hub:invoke -m '$edgeAgent' sim-001 ping");
        assertThat(answer).contains("Status: 200").contains("sim-001");
        assertThat(b.shell("hub:invoke -m '$edgeAgent' sim-000 ping")).contains("Status: 200").contains("sim-000");
        assertThat(postgres.sql("SELECT COUNT(*) FROM method_calls")).isEqualTo("0");

        // Cloud-to-device through node A: a device that is offline gets the message when it connects to node B, and
        // one sent while it is there arrives at once. Each is deleted once the device acknowledged it.
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(a.shell("hub:device-create --json thermostat"));
        assertThat(key.find()).isTrue();
        a.shell("hub:c2d thermostat 'first'");
        assertThat(postgres.sql("SELECT COUNT(*) FROM c2d_messages")).isEqualTo("1");
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        org.eclipse.paho.client.mqttv3.MqttClient thermostat = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + portB, "thermostat", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            o.setUserName("thermostat");
            o.setPassword(key.group(1).toCharArray());
            o.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
            thermostat.connect(o);
            thermostat.subscribe("devices/thermostat/messages/devicebound/#", 1, (topic, m) -> received.add(
                    new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("first");
            a.shell("hub:c2d thermostat 'second'");
            assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("second");
            await("the acknowledged messages deleted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(
                    200)).until(() -> postgres.sql("SELECT COUNT(*) FROM c2d_messages").equals("0"));
        } finally {
            thermostat.disconnectForcibly(1000);
            thermostat.close();
        }

        // Disabled through node A, a device connected to node B is disconnected by node B.
        assertThat(keysB).containsKey("sim-001");
        assertThat(a.shell("hub:device-disable sim-001")).contains("disabled");
        await("node B closing the disabled device's connection").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> fleet.connected() == DEVICES - 1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> api(a, "/api/devices/sim-001").path("connectionState").asText()
                        .equals("disconnected"));
        JsonNode summary = api(b, "/api/fleet");
        assertThat(summary.path("devices").asInt()).isEqualTo(DEVICES + 1);
        assertThat(summary.path("disabled").asInt()).isEqualTo(1);
    }
}
