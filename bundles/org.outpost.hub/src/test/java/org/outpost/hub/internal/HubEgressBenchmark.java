/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.hub.internal.routing.HubRouter;
import org.outpost.hub.internal.routing.MessageCodec;
import org.outpost.hub.internal.routing.RoutingSettings;
import org.outpost.hub.internal.routing.WebhookEndpoint;
import org.outpost.hub.routing.HubRouting;
import org.outpost.hub.routing.RoutedMessage;
import org.outpost.hub.storage.internal.Database;

/**
 * The hub's egress rate to a webhook, in one run against baselines (run with {@code benchmarks/run hub-egress}, or
 * {@code -Dbench.egress=true -Dtest=HubEgressBenchmark}): the real routing engine (embedded H2 database, the hub's
 * Artemis, a JDK HTTP server as the webhook on loopback) and {@code bench.messages} JSON messages (default 20,000);
 * on PostgreSQL with {@code -Doutpost.test.postgres=jdbc:postgresql://...} (user outpost, password outpost-test).
 * <ul>
 * <li><b>ingest, no routes</b>: route() with only the fallback disabled: what routing costs ingestion when unused;</li>
 * <li><b>ingest, one route</b>: route() to the webhook's queue, until every message is stored (batched
 * transactions);</li>
 * <li><b>egress</b>: from the first message routed to the last one taken by the webhook (200), batches of
 * {@code batch.size} 100;</li>
 * <li><b>baseline</b>: the same messages as JSON batches of 100 POSTed straight to the same webhook from one thread:
 * the HTTP ceiling of this machine, no queue (the second of two passes: the first warms the JIT up).</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "bench.egress", matches = "true")
class HubEgressBenchmark {

    @TempDir
    Path dir;

    @Test
    void egressToAWebhookAgainstPostingStraightToIt() throws Exception {
        int n = Integer.getInteger("bench.messages", 20_000);
        AtomicLong taken = new AtomicLong();
        ObjectMapper json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            taken.addAndGet(json.readTree(ex.getRequestBody()).size());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        List<Message> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            messages.add(Message.builder().json("{\"machine\":{\"temperature\":" + (20 + i % 20) + "},\"n\":" + i
                    + "}").contentEncoding("utf-8").property("sequence", Integer.toString(i))
                    .connectionDeviceId("gw-" + (i % 10)).build());
        }
        String postgres = System.getProperty("outpost.test.postgres", "");
        try (HubListeners hub = new HubListeners(dir, Map.of());
                Database pg = postgres.isEmpty() ? null : new Database(new Database.Settings(postgres, "outpost",
                        "outpost-test", 10, "bench"))) {
            if (pg != null) {
                pg.transaction("cleaning up", c -> {
                    c.createStatement().executeUpdate("DELETE FROM routing_routes WHERE name <> '$fallback'");
                    c.createStatement().executeUpdate("DELETE FROM routing_endpoints WHERE name <> 'events'");
                    return null;
                });
            }
            HubRouter router = new HubRouter(pg == null ? hub.db : pg, hub.broker, hub.authenticator, HubListeners.config(
                    RoutingSettings.class, Map.of("batch_size", 100, "delivery_threads", 2)));
            router.addType("webhook", new WebhookEndpoint());
            try {
                router.putRoute(new HubRouting.Route(HubRouting.FALLBACK, "DeviceMessages", "true", List.of(
                        HubRouting.BUILT_IN), false));
                double idle = rate(n, () -> routeAll(router, messages));

                router.putEndpoint("hook", "webhook", Map.of("url", url));
                long t0 = System.nanoTime();
                router.putRoute(new HubRouting.Route("all", "DeviceMessages", "$body.machine.temperature > 0",
                        List.of("hook"), true));
                routeAll(router, messages);
                long tIngested = System.nanoTime();
                long takenThen = taken.get();
                double ingest = n / ((tIngested - t0) / 1e9);
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(() -> taken
                        .get() >= n);
                long tEnd = System.nanoTime();
                double egress = n / ((tEnd - t0) / 1e9);
                double drain = (n - takenThen) / ((tEnd - tIngested) / 1e9);

                taken.set(0);
                HttpClient http = HttpClient.newHttpClient();
                double baseline = 0;
                // Twice, the second pass counts: the first warms up (JIT) what the egress phase may not have used.
                for (int pass = 0; pass < 2; pass++) {
                    long t1 = System.nanoTime();
                    for (int i = 0; i < n; i += 100) {
                        ArrayNode batch = json.createArrayNode();
                        for (int j = i; j < Math.min(n, i + 100); j++) {
                            batch.add(MessageCodec.envelope(new RoutedMessage("all", j, Instant.now(), messages
                                    .get(j))));
                        }
                        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                    baseline = n / ((System.nanoTime() - t1) / 1e9);
                }
                System.out.printf(Locale.ROOT, "HubEgressBenchmark: %d JSON messages, %s, %d vCPU%n", n,
                        pg == null ? "H2" : "PostgreSQL", Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "%-52s %10.0f msg/s%n", "ingest, no route in use (route())", idle);
                System.out.printf(Locale.ROOT, "%-52s %10.0f msg/s%n", "ingest, one route: stored in the queue",
                        ingest);
                System.out.printf(Locale.ROOT, "%-52s %10.0f msg/s%n", "egress: routed -> taken by the webhook",
                        egress);
                System.out.printf(Locale.ROOT, "%-52s %10.0f msg/s%n", "egress once ingestion ended (draining"
                        + " the queue)", drain);
                System.out.printf(Locale.ROOT, "%-52s %10.0f msg/s%n", "baseline: POSTed straight, batches of 100",
                        baseline);
                System.out.printf(Locale.ROOT, "%-52s %10.2f%n", "egress / baseline", egress / baseline);
            } finally {
                router.deactivate();
                server.stop(0);
            }
        }
    }

    private static void routeAll(HubRouter router, List<Message> messages) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>(messages.size());
        Instant now = Instant.now();
        for (Message m : messages) {
            done.add(router.route(m, now).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double rate(int n, Work work) throws Exception {
        long t = System.nanoTime();
        work.run();
        return n / ((System.nanoTime() - t) / 1e9);
    }
}
