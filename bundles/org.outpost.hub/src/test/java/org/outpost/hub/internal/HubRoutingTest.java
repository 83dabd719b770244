/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.hub.internal.routing.HubRouter;
import org.outpost.hub.internal.routing.RoutingSettings;
import org.outpost.hub.internal.routing.WebhookEndpoint;
import org.outpost.hub.routing.HubRouting;
import org.outpost.hub.storage.internal.Database;

/**
 * Message routing with the real parts: the hub database (H2), a webhook on a JDK HTTP server, the hub's Artemis for
 * the built-in endpoint.
 */
class HubRoutingTest {

    private static final Duration SOON = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HubListeners hub;
    private HubRouter router;
    private HttpServer server;
    /** The status the webhook answers. */
    private final AtomicInteger status = new AtomicInteger(200);
    /** What the webhook took (answered 2xx), one JSON message each, in arrival order. */
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        hub = new HubListeners(dir, Map.of());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            byte[] body = ex.getRequestBody().readAllBytes();
            int code = status.get();
            inFlight.decrementAndGet();
            requests.incrementAndGet();
            if (code / 100 == 2) {
                JsonNode batch = JSON.readTree(body);
                batch.forEach(received::add);
            }
            byte[] answer = ("status " + code).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (router != null) {
            router.deactivate();
        }
        server.stop(0);
        hub.close();
    }

    private HubRouter router(Map<String, Object> settings) {
        router = new HubRouter(hub.db, hub.broker, hub.authenticator, HubListeners.config(RoutingSettings.class,
                settings));
        router.addType("webhook", new WebhookEndpoint());
        return router;
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static Message reading(String device, double temperature, int n) {
        return Message.builder().json("{\"temperature\":" + temperature + ",\"n\":" + n + ",\"obj\":{\"a\":1}}")
                .contentEncoding("utf-8").property("kind", "reading").connectionDeviceId(device).build();
    }

    private void send(Message m) throws Exception {
        router.route(m, Instant.now()).toCompletableFuture().get();
    }

    private HubRouting.Endpoint status(String name) {
        return router.endpoint(name).orElseThrow();
    }

    @Test
    void matchingMessagesReachTheWebhookInOrderAndAreKeptWhileItAnswers503() throws Exception {
        router(Map.of("retry_initial_ms", 50L, "retry_max_ms", 200L, "max_attempts", 1000));
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("hot", "DeviceMessages", "$body.temperature > 30 AND kind = 'reading'"
                + " AND $connectionDeviceId = 'd1'", List.of("hook"), true));
        status.set(503);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add(router.route(reading(i % 4 == 3 ? "d2" : "d1", i % 2 == 0 ? 35 : 20, i), Instant.now())
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        // 20 are hot; of those, the ones from d2 (i % 4 == 3) are odd i, never hot: 20 match.
        await().atMost(SOON).untilAsserted(() -> {
            HubRouting.Endpoint e = status("hook");
            assertThat(e.queued()).isEqualTo(20);
            assertThat(e.failed()).isGreaterThanOrEqualTo(2);
            assertThat(e.lastError()).contains("answered 503").contains("/hook");
            assertThat(e.lagMs()).isPositive();
        });
        assertThat(received).isEmpty();

        status.set(200);
        await().atMost(SOON).until(() -> received.size() >= 20);
        assertThat(received).hasSize(20);
        assertThat(received.stream().map(j -> j.path("body").path("n").asInt()).toList())
                .containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38);
        List<Long> seqs = received.stream().map(j -> j.path("sequence").asLong()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        JsonNode first = received.get(0);
        assertThat(first.path("route").asText()).isEqualTo("hot");
        assertThat(first.path("systemProperties").path("connectionDeviceId").asText()).isEqualTo("d1");
        assertThat(first.path("properties").path("kind").asText()).isEqualTo("reading");
        await().atMost(SOON).untilAsserted(() -> {
            HubRouting.Endpoint e = status("hook");
            assertThat(e.queued()).isZero();
            assertThat(e.delivered()).isEqualTo(20);
            assertThat(e.dead()).isZero();
            assertThat(e.lagMs()).isZero();
        });
    }

    @Test
    void aRejectingEndpointSendsTheMessageToDeadLettersAtOnceAndAReplayDeliversIt() throws Exception {
        router(Map.of("retry_initial_ms", 50L));
        router.putEndpoint("hook", "webhook", Map.of("url", url(), "headers", Map.of("Authorization",
                "Bearer secret-1")));
        assertThat(status("hook").settings()).containsEntry("headers", Map.of("Authorization", "***"));
        router.putRoute(new HubRouting.Route("all", "DeviceMessages", "true", List.of("hook"), true));
        status.set(400);
        for (int i = 0; i < 3; i++) {
            send(reading("d1", 40, i));
        }
        await().atMost(SOON).untilAsserted(() -> assertThat(status("hook").dead()).isEqualTo(3));
        List<HubRouting.DeadLetter> dead = router.deadLetters("hook", 100);
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).reason()).startsWith("rejected: webhook http://127.0.0.1:").contains("answered 400");
        assertThat(dead.get(0).message().bodyAsString()).contains("\"n\":0");
        assertThat(status("hook").queued()).isZero();

        status.set(200);
        assertThat(router.replay("hook", List.of(dead.get(1).sequence()))).isEqualTo(1);
        await().atMost(SOON).until(() -> received.size() == 1);
        assertThat(received.get(0).path("body").path("n").asInt()).isEqualTo(1);
        assertThat(router.replay("hook", List.of())).isEqualTo(2);
        await().atMost(SOON).until(() -> received.size() == 3);
        assertThat(received.stream().map(j -> j.path("body").path("n").asInt()).toList()).containsExactly(1, 0, 2);
        assertThat(status("hook").dead()).isZero();
    }

    @Test
    void aMessageThatKeepsFailingGoesToDeadLettersAfterMaxAttemptsAndTheNextOnesGetThrough() throws Exception {
        router(Map.of("retry_initial_ms", 20L, "retry_max_ms", 40L, "max_attempts", 3, "batch_size", 10));
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("all", "DeviceMessages", "true", List.of("hook"), true));
        status.set(500);
        send(reading("d1", 1, 0));
        await().atMost(SOON).untilAsserted(() -> assertThat(status("hook").dead()).isEqualTo(1));
        assertThat(router.deadLetters("hook", 10).get(0).attempts()).isEqualTo(3);
        assertThat(router.deadLetters("hook", 10).get(0).reason()).startsWith("3 attempts failed; last: ")
                .contains("answered 500");
        status.set(200);
        send(reading("d1", 1, 1));
        await().atMost(SOON).until(() -> received.size() == 1);
        assertThat(received.get(0).path("body").path("n").asInt()).isEqualTo(1);
    }

    @Test
    void anEndpointDeletedAndCreatedAgainNeverReusesASequenceAndIsDelivered() throws Exception {
        router(Map.of("retry_initial_ms", 20L));
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("all", "DeviceMessages", "true", List.of("hook"), true));
        for (int i = 0; i < 3; i++) {
            send(reading("d1", 1, i));
        }
        await().atMost(SOON).until(() -> received.size() == 3);
        long lastOld = received.get(2).path("sequence").asLong();
        router.deleteRoute("all");
        assertThat(router.deleteEndpoint("hook")).isTrue();
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("all", "DeviceMessages", "true", List.of("hook"), true));
        send(reading("d1", 1, 3));
        await().atMost(SOON).until(() -> received.size() == 4);
        assertThat(received.get(3).path("body").path("n").asInt()).isEqualTo(3);
        assertThat(received.get(3).path("sequence").asLong()).isGreaterThan(lastOld);
    }

    @Test
    void anEndpointThatCannotBeOpenedKeepsItsMessagesWhateverMaxAttemptsSays() throws Exception {
        router(Map.of("retry_initial_ms", 10L, "retry_max_ms", 20L, "max_attempts", 2));
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger opened = new AtomicInteger();
        WebhookEndpoint webhook = new WebhookEndpoint();
        router.addType("flaky", (name, settings) -> {
            opened.incrementAndGet();
            if (broken.get()) {
                throw new IllegalStateException("password file /etc/nowhere missing");
            }
            return webhook.open(name, settings);
        });
        router.putEndpoint("hook", "flaky", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("all", "DeviceMessages", "true", List.of("hook"), true));
        broken.set(true);
        int before = opened.get();
        send(reading("d1", 1, 0));
        await().atMost(SOON).untilAsserted(() -> {
            assertThat(opened.get() - before).isGreaterThanOrEqualTo(5);
            assertThat(status("hook").lastError()).contains("cannot open").contains("password file");
        });
        assertThat(status("hook").dead()).isZero();
        assertThat(status("hook").queued()).isEqualTo(1);
        broken.set(false);
        await().atMost(SOON).until(() -> received.size() == 1);
        assertThat(status("hook").dead()).isZero();
    }

    @Test
    void untilTheRoutesAreReadOnceNoMessageIsAcknowledgedUnrouted() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        Class<?> type = org.outpost.hub.storage.HubDatabase.class;
        org.outpost.hub.storage.HubDatabase flaky = (org.outpost.hub.storage.HubDatabase) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                        (proxy, method, args) -> {
                            if (method.getName().equals("transaction") && down.get()) {
                                throw new IllegalStateException("hub database unreachable (test)");
                            }
                            try {
                                return method.invoke(hub.db, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        router = new HubRouter(flaky, hub.broker, hub.authenticator, HubListeners.config(RoutingSettings.class,
                Map.of()));
        assertThatThrownBy(() -> send(reading("d1", 1, 0))).hasMessageContaining("has not read its routes");
        down.set(false);
        await().atMost(SOON).untilAsserted(() -> send(reading("d1", 1, 1)));
    }

    @Test
    void wrongRoutesAndEndpointsAreRefusedWithWhatIsWrong() {
        router(Map.of());
        assertThatThrownBy(() -> router.putEndpoint("hook", "webhook", Map.of("url", "ftp://x")))
                .hasMessageStartingWith("settings.url: an http:// or https:// URL is required");
        assertThatThrownBy(() -> router.putEndpoint("k", "kafka", Map.of()))
                .hasMessageStartingWith("type: no endpoint type 'kafka' on this hub; installed: [webhook]");
        assertThatThrownBy(() -> router.putRoute(new HubRouting.Route("r", "DeviceMessages", "$body.t >", List.of(
                "events"), true))).hasMessageStartingWith("condition: ");
        assertThatThrownBy(() -> router.putRoute(new HubRouting.Route("r", "DeviceMessages", "true", List.of(
                "nowhere"), true))).hasMessageContaining("no endpoint [nowhere]");
        assertThatThrownBy(() -> router.deleteRoute(HubRouting.FALLBACK)).hasMessageContaining("disable it");
        assertThatThrownBy(() -> router.deleteEndpoint("events")).hasMessageContaining("built-in");
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("r", "DeviceMessages", "true", List.of("hook"), true));
        assertThatThrownBy(() -> router.deleteEndpoint("hook")).hasMessageContaining("used by route(s) [r]");
    }

    @Test
    void aConditionIsTestedAgainstASampleAsARouteWouldSeeIt() {
        router(Map.of());
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("hot", "DeviceMessages", "$body.temperature > 30", List.of("hook"),
                true));
        Message hot = reading("d1", 35, 0);
        assertThat(router.test("$body.temperature > 30 AND $connectionDeviceId = 'd1'", hot))
                .isEqualTo(new HubRouting.TestResult("true", null, List.of("hot")));
        HubRouting.TestResult cold = router.test("$body.temperature > 30", reading("d1", 20, 0));
        assertThat(cold.result()).isEqualTo("false");
        assertThat(cold.routes()).containsExactly(HubRouting.FALLBACK);
        HubRouting.TestResult none = router.test("$body.obj > 3", hot);
        assertThat(none.result()).isEqualTo("undefined");
        assertThat(none.undefinedOperand()).isEqualTo("$body.obj");
    }

    /**
     * Two nodes on one database: the embedded one, or PostgreSQL when {@code -Doutpost.test.postgres=jdbc:...} names
     * one (user and password {@code outpost} / {@code outpost-test}, as testing/postgres-server makes them).
     */
    @Test
    void twoHubNodesOnOneDatabaseDeliverAnEndpointOneAtATimeInSequenceWithNothingLost() throws Exception {
        String postgres = System.getProperty("outpost.test.postgres", "");
        try (Database dbA = postgres.isEmpty() ? null : postgres(postgres, "node-a");
                Database dbB = postgres.isEmpty() ? new Database(Database.Settings.embedded(dir.resolve("db")))
                        : postgres(postgres, "node-b")) {
            if (dbA != null) {
                // A shared database outlives the test: start from no routes and no endpoints but the built-in ones.
                dbA.transaction("cleaning up", c -> {
                    c.createStatement().executeUpdate("DELETE FROM routing_routes WHERE name <> '$fallback'");
                    c.createStatement().executeUpdate("DELETE FROM routing_endpoints WHERE name <> 'events'");
                    return null;
                });
            }
            router = new HubRouter(dbA == null ? hub.db : dbA, hub.broker, hub.authenticator, HubListeners.config(
                    RoutingSettings.class, Map.of("batch_size", 7)));
            router.addType("webhook", new WebhookEndpoint());
            router.putEndpoint("hook", "webhook", Map.of("url", url()));
            router.putRoute(new HubRouting.Route("all", "DeviceMessages", "true", List.of("hook"), true));
            HubRouter nodeB = new HubRouter(dbB, hub.broker, hub.authenticator, HubListeners.config(
                    RoutingSettings.class, Map.of("batch_size", 5)));
            nodeB.addType("webhook", new WebhookEndpoint());
            try {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    HubRouter node = i % 2 == 0 ? router : nodeB;
                    sent.add(node.route(reading("d" + (i % 2), 40, i), Instant.now()).toCompletableFuture());
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
                await().atMost(SOON).until(() -> received.size() >= 100);
            } finally {
                nodeB.deactivate();
                router.deactivate();
                router = null;
            }
        }
        List<Long> seqs = received.stream().map(j -> j.path("sequence").asLong()).toList();
        assertThat(seqs).hasSize(100).isSorted().doesNotHaveDuplicates();
        assertThat(seqs.get(99) - seqs.get(0)).isEqualTo(99);
        assertThat(mostInFlight.get()).isEqualTo(1);
        // Each device's messages in the order it sent them.
        for (String d : List.of("d0", "d1")) {
            List<Integer> ns = received.stream().filter(j -> j.path("systemProperties").path("connectionDeviceId")
                    .asText().equals(d)).map(j -> j.path("body").path("n").asInt()).toList();
            assertThat(ns).hasSize(50).isSorted();
        }
    }

    private static Database postgres(String url, String node) {
        return new Database(new Database.Settings(url, "outpost", "outpost-test", 5, node));
    }

    @Test
    void aConsumerGroupOfTheBuiltInEndpointReadsWhatMatchesNoRouteWithAnMqtt5SharedSubscription() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")), "mosquitto_sub -V mqttv5");
        router(Map.of());
        String token = router.addConsumerGroup("g1");
        assertThat(router.consumerGroups()).singleElement().satisfies(g -> assertThat(g.topic())
                .isEqualTo("$share/g1/outpost/events"));
        router.putEndpoint("hook", "webhook", Map.of("url", url()));
        router.putRoute(new HubRouting.Route("hot", "DeviceMessages", "$body.temperature > 30", List.of("hook"),
                true));
        send(reading("d1", 10, 1)); // fallback: events
        send(reading("d1", 40, 2)); // hot: the webhook only
        send(reading("d1", 10, 3)); // fallback: events
        await().atMost(SOON).until(() -> router.consumerGroups().get(0).waiting() == 2);

        Process wrong = new ProcessBuilder("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", Integer
                .toString(hub.brokerPort), "-i", "events-g1-0", "-u", "$events/g1", "-P", "wrong", "-t",
                "$share/g1/outpost/events", "-q", "1", "-C", "1", "-W", "10").redirectErrorStream(true).start();
        assertThat(wrong.waitFor()).isNotZero();

        Process sub = new ProcessBuilder("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", Integer
                .toString(hub.brokerPort), "-i", "events-g1-1", "-u", "$events/g1", "-P", token, "-t",
                "$share/g1/outpost/events", "-q", "1", "-C", "2", "-W", "20").redirectErrorStream(true).start();
        String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sub.waitFor()).as(out).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines.stream().map(j -> j.path("body").path("n").asInt()).toList()).containsExactly(1, 3);
        assertThat(lines.get(0).path("route").asText()).isEqualTo(HubRouting.FALLBACK);
        assertThat(status("events").delivered()).isEqualTo(2);
        await().atMost(SOON).until(() -> router.consumerGroups().get(0).waiting() == 0);
        assertThat(router.removeConsumerGroup("g1")).isTrue();
        assertThat(router.consumerGroups()).isEmpty();
    }
}
