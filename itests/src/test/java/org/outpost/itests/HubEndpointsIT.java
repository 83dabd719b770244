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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;
import org.outpost.protocol.SasToken;
import org.outpost.testing.kafka.KafkaBroker;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.outpost.testing.postgres.PostgresServer;

/**
 * The hub's routing to the {@code postgres} and {@code kafka} endpoints on the real hub distribution: a PostgreSQL
 * database and a Kafka broker (4.1, KRaft, its own JVM) started by the test, both endpoints and a route configured over
 * the REST API, a device sending telemetry over MQTT: the messages become rows of the table and records of the topic,
 * in the order sent; with the broker and the database down the hub keeps what comes meanwhile, and once they are
 * back everything arrives, still in order.
 */
public class HubEndpointsIT {

    private static final String DEVICE = "sensor-1";
    private static final String HOST = "outpost-hub.local";
    private static final String TOPIC = "telemetry";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresServer postgres;
    private KafkaBroker kafka;
    private GatewayProcess hub;
    private MqttClient device;

    @After
    public void stop() throws Exception {
        if (device != null && device.isConnected()) {
            device.disconnect();
        }
        if (hub != null) {
            hub.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    public void routedMessagesBecomeRowsAndRecordsInOrderAlsoAcrossAnOutage() throws Exception {
        postgres = PostgresServer.start(GatewayProcess.freePort(), false);
        kafka = KafkaBroker.create();
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")), Files.createTempDirectory(
                base, "endpoints-hub"));
        int iothub = GatewayProcess.freePort();
        hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
        hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(iothub), "tls.port", "-1"));
        // Retries every second or two, and never to the dead letters during the outage below.
        hub.config("org.outpost.hub.routing", Map.of("retry.initial.ms", "500", "retry.max.ms", "2000",
                "max.attempts", "1000"));
        hub.start();
        String key = await("the hub's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> register(hub, DEVICE), k -> true);

        // Short timeouts: a delivery to a broker that is down fails after seconds, and is retried.
        String pg = "{\"type\": \"postgres\", \"settings\": {\"url\": \"" + postgres.url() + "\", \"user\": \""
                + PostgresServer.USER + "\", \"password\": \"" + PostgresServer.PASSWORD + "\", \"table\":"
                + " \"device_messages\", \"connectTimeoutSeconds\": 2, \"statementTimeoutSeconds\": 5}}";
        String k = "{\"type\": \"kafka\", \"settings\": {\"brokers\": \"" + kafka.bootstrapServers() + "\","
                + " \"topic\": \"" + TOPIC + "\", \"compression\": \"lz4\", \"requestTimeoutMs\": 2000,"
                + " \"deliveryTimeoutMs\": 4000, \"maxBlockMs\": 3000}}";
        // The REST API and the endpoint types (outpost-hub-kafka is a feature of its own) come a moment after the
        // shell.
        await("the routing API and the endpoint types").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                    put("/api/routing/endpoints/pg", pg);
                    put("/api/routing/endpoints/kafka", k);
                });
        put("/api/routing/routes/everything", "{\"source\": \"DeviceMessages\", \"condition\": \"true\","
                + " \"endpoints\": [\"pg\", \"kafka\"], \"enabled\": true}");

        device = connect(iothub, key);
        send(1, 20);
        await("20 rows and 20 records").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().untilAsserted(() -> {
                    assertThat(rows()).containsExactlyElementsOf(range(1, 20));
                    assertThat(records()).containsExactlyElementsOf(range(1, 20));
                });

        // Both targets down: the hub keeps what the device sends meanwhile.
        kafka.stop();
        postgres.stop();
        send(21, 40);
        // Deliveries fail (after the short timeouts above), and the endpoints' list says why.
        await("both endpoints failing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(get("/api/routing/endpoints")).contains(
                        "routing endpoint kafka (kafka): cannot deliver",
                        "routing endpoint pg (postgres): cannot write"));
        kafka.start();
        postgres.restart();
        await("40 rows and 40 records").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().untilAsserted(() -> {
                    assertThat(rows()).containsExactlyElementsOf(range(1, 40));
                    // At least once: a batch the broker took in part before it went down comes again; in order.
                    assertThat(records()).containsExactlyElementsOf(range(1, 40));
                });
        assertThat(postgres.sql("SELECT device_id, properties->>'seq' FROM device_messages ORDER BY sequence LIMIT 1"))
                .isEqualTo(DEVICE + "|1");
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private void send(int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            device.publish("devices/" + DEVICE + "/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&seq=" + i,
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 1, false);
        }
    }

    /** The rows' n, in the endpoint's order (its sequence). */
    private List<Integer> rows() throws Exception {
        String out = postgres.sql("SELECT COALESCE(body->>'n', convert_from(body_bytes, 'UTF8')::jsonb->>'n')"
                + " FROM device_messages ORDER BY sequence");
        return out.isBlank() ? List.of() : out.lines().map(Integer::valueOf).toList();
    }

    /** The records' n, in the topic's order, each the first time it appears (at least once). */
    private List<Integer> records() throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<Integer> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(5)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.key()).isEqualTo(DEVICE);
                    values.add(JSON.readTree(r.value()).get("n").asInt());
                }
            }
        }
        return new ArrayList<>(values.stream().collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    private String get(String path) throws Exception {
        String token = Files.readString(hub.home().resolve("data/outpost/hub/api-token")).strip();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + hub.httpPort() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private void put(String path, String body) throws Exception {
        String token = Files.readString(hub.home().resolve("data/outpost/hub/api-token")).strip();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + hub.httpPort() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PUT " + path + ": " + response.body()).isBetween(200, 299);
    }

    private static MqttClient connect(int port, String key) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, DEVICE, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(HOST + "/" + DEVICE + "/?api-version=2021-04-12");
        o.setPassword(SasToken.create(HOST + "/devices/" + DEVICE, key, Instant.now().plusSeconds(3600))
                .toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    /** @return the key of a device registered with {@code hub:device-create} */
    private static String register(GatewayProcess hub, String deviceId) throws Exception {
        String created = hub.shell("hub:device-create --json " + deviceId);
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!key.find()) {
            throw new IllegalStateException("hub:device-create printed no key: " + created);
        }
        return key.group(1);
    }
}
