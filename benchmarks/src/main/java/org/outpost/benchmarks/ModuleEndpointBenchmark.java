/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.itests.GatewayProcess;
import org.outpost.itests.Mosquitto;
import org.outpost.protocol.SasToken;

/**
 * Module-to-module throughput and latency through the gateway's IoT Hub endpoint, against Mosquitto as a local
 * one-hop baseline in the same run.
 * <p>
 * Outpost: module A (a Paho client with A's own SAS token, as an IoT Edge module's MQTT connection) publishes 1 KB
 * messages at QoS 1 on its output; the gateway stores each in its journal before it acknowledges it, routes it to
 * module B's input (a durable queue), and delivers it to B (a {@code mosquitto_sub} with B's SAS token) at QoS 1.
 * Baseline: the same publisher and subscriber through Mosquitto with persistence on, one hop. Both at 1,000 msg/s
 * and as fast as acknowledgements come back (2,000 in flight); latency is from A's clock to the arrival at B.
 * <p>
 * Run: {@code benchmarks/run -Dbench.main=org.outpost.benchmarks.ModuleEndpointBenchmark} (after
 * {@code mvn install -DskipTests}); {@code -Dbench.seconds=N} per measurement.
 */
public final class ModuleEndpointBenchmark {

    private static final int SIZE = 1024;
    private static final int[] RATES = {1000, 0};
    private static final String DEVICE = "outpost-gateway";
    private static final String HUB_HOST = "outpost-hub.local";

    private record Result(String system, int rate, Arrivals.Window window) {
    }

    private ModuleEndpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "15"));
        double warmup = Double.parseDouble(System.getProperty("bench.warmup", "5"));
        double jitWarmup = Double.parseDouble(System.getProperty("bench.jit.warmup", "20"));
        Path work = Files.createTempDirectory("outpost-bench-modules");
        List<Result> results = new ArrayList<>();

        // Baseline first: Mosquitto, persistence on.
        int mosquittoPort = GatewayProcess.freePort();
        try (Mosquitto mosquitto = new Mosquitto(mosquittoPort, true).start();
                Arrivals arrivals = new Arrivals(mosquittoPort, "bench/b", List.of("-i", "bench-b"))) {
            MqttAsyncClient a = connect("tcp://127.0.0.1:" + mosquittoPort, "bench-a", null, null);
            results.addAll(run("mosquitto", a, "bench/b", arrivals, jitWarmup, warmup, seconds));
            a.disconnect().waitForCompletion(5000);
        }

        // Outpost: the gateway's IoT Hub endpoint, plain TCP on loopback as the baseline.
        Path distribution = Path.of(System.getProperty("outpost.distribution"));
        int port = GatewayProcess.freePort();
        System.out.println("Starting the gateway from " + distribution);
        try (GatewayProcess gateway = new GatewayProcess(distribution, work.resolve("gateway"))) {
            gateway.config("org.outpost.runtime", Map.of("device.id", DEVICE));
            gateway.config("org.outpost.edgehub", Map.of("port", Integer.toString(port), "tls.port",
                    Integer.toString(GatewayProcess.freePort())));
            gateway.start();
            awaitPort(port, Duration.ofSeconds(120));
            awaitShell(gateway, Duration.ofSeconds(60));
            // Two modules, so they have identities; their processes only idle: the harness speaks for them.
            Path manifest = work.resolve("bench-modules.json");
            Files.writeString(manifest, "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\":"
                    + " {\"schemaVersion\": \"1.1\", \"modules\": {"
                    + "\"benchA\": {\"type\": \"container\", \"settings\": {\"command\": [\"sleep\", \"86400\"]}},"
                    + "\"benchB\": {\"type\": \"container\", \"settings\": {\"command\": [\"sleep\", \"86400\"]}}}}},"
                    + " \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {\"ab\":"
                    + " \"FROM /messages/modules/benchA/outputs/out INTO"
                    + " BrokeredEndpoint(\\\"/modules/benchB/inputs/in\\\")\"}}}}}");
            System.out.println(gateway.shell("edge:deploy " + manifest));
            String keyA = key(gateway.shell("edge:module-connection-string benchA"));
            String keyB = key(gateway.shell("edge:module-connection-string benchB"));
            try (Arrivals arrivals = new Arrivals(port, "devices/" + DEVICE + "/modules/benchB/inputs/#", List.of(
                    "-i", DEVICE + "/benchB", "-u", userName("benchB"), "-P", token("benchB", keyB)))) {
                MqttAsyncClient a = connect("tcp://127.0.0.1:" + port, DEVICE + "/benchA", userName("benchA"),
                        token("benchA", keyA));
                results.addAll(run("outpost", a, "devices/" + DEVICE + "/modules/benchA/messages/events/%24.on=out",
                        arrivals, jitWarmup, warmup, seconds));
                a.disconnect().waitForCompletion(5000);
            }
            gateway.stop();
        }
        report(results);
    }

    private static List<Result> run(String system, MqttAsyncClient a, String topic, Arrivals arrivals,
            double jitWarmup, double warmup, double seconds) throws Exception {
        List<Result> results = new ArrayList<>();
        Thread sender = send(a, topic, 0);
        System.out.printf(Locale.ROOT, "%s: %.0f s JIT warm-up as fast as it goes%n", system, jitWarmup);
        arrivals.measure(jitWarmup);
        stop(sender);
        arrivals.awaitQuiet(2000, 300_000);
        for (int rate : RATES) {
            sender = send(a, topic, rate);
            String label = rate == 0 ? "max" : rate + " msg/s";
            System.out.printf(Locale.ROOT, "%s at %s: %.0f s warm-up, %.0f s measured%n", system, label, warmup,
                    seconds);
            arrivals.measure(warmup);
            Arrivals.Window w = arrivals.measure(seconds);
            System.out.printf(Locale.ROOT, "  %.0f msg/s, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%n", w.rate(),
                    w.percentileMillis(0.5), w.percentileMillis(0.99), w.percentileMillis(0.999));
            results.add(new Result(system, rate, w));
            stop(sender);
            arrivals.awaitQuiet(2000, 300_000);
        }
        return results;
    }

    private static Thread send(MqttAsyncClient client, String topic, int rate) {
        Semaphore inflight = new Semaphore(2000);
        Thread t = new Thread(() -> Pacer.run(rate, inflight, seq -> {
            MqttMessage m = new MqttMessage(Pacer.body(seq, SIZE));
            m.setQos(1);
            client.publish(topic, m, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inflight.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    inflight.release();
                }
            });
        }), "module-a");
        t.start();
        return t;
    }

    private static void stop(Thread sender) throws InterruptedException {
        sender.interrupt();
        sender.join(5000);
    }

    private static MqttAsyncClient connect(String url, String id, String user, String password) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(url, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setMaxInflight(4000);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        client.connect(o).waitForCompletion(10_000);
        return client;
    }

    private static String userName(String module) {
        return HUB_HOST + "/" + DEVICE + "/" + module + "/?api-version=2021-04-12";
    }

    private static String token(String module, String key) {
        return SasToken.create(HUB_HOST + "/devices/" + DEVICE + "/modules/" + module, key,
                Instant.now().plus(Duration.ofHours(2)));
    }

    private static String key(String connectionString) {
        Matcher m = Pattern.compile("SharedAccessKey=([^;\\s]+)").matcher(connectionString);
        if (!m.find()) {
            throw new IllegalStateException("no key in: " + connectionString);
        }
        return m.group(1);
    }

    private static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the gateway's IoT Hub endpoint did not open port " + port);
    }

    /** Waits until the gateway's shell answers (its operator key comes a moment after the endpoint opens). */
    private static void awaitShell(GatewayProcess gateway, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                gateway.shell("edge:list");
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway's shell did not answer: " + e.getMessage(), e);
                }
                Thread.sleep(500);
            }
        }
    }

    private static void report(List<Result> results) {
        System.out.println();
        System.out.println("1 KB messages at QoS 1, module A -> (stored) -> module B; latency A's clock -> arrival at B");
        System.out.printf(Locale.ROOT, "%-10s %-8s %10s %9s %9s %9s%n", "system", "offered", "msg/s", "p50 ms",
                "p99 ms", "p99.9 ms");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-10s %-8s %10.0f %9.1f %9.1f %9.1f%n", r.system(),
                    r.rate() == 0 ? "max" : Integer.toString(r.rate()), r.window().rate(),
                    r.window().percentileMillis(0.5), r.window().percentileMillis(0.99),
                    r.window().percentileMillis(0.999));
        }
        System.out.println();
        for (int rate : RATES) {
            Result o = find(results, "outpost", rate);
            Result b = find(results, "mosquitto", rate);
            if (o != null && b != null) {
                System.out.printf(Locale.ROOT, "at %-9s outpost/mosquitto: throughput %.0f%%, p99 %.2fx%n",
                        rate == 0 ? "max" : rate + "/s", 100 * o.window().rate() / b.window().rate(),
                        o.window().percentileMillis(0.99) / b.window().percentileMillis(0.99));
            }
        }
    }

    private static Result find(List<Result> results, String system, int rate) {
        return results.stream().filter(r -> r.system().equals(system) && r.rate() == rate).findFirst().orElse(null);
    }
}
