/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.itests.CloudPair;
import org.outpost.itests.GatewayProcess;
import org.outpost.protocol.SasToken;

/**
 * Module twin latency, hub and gateway each the real distribution in its own process on this machine:
 * <ul>
 * <li><b>desired patch -> module</b>: from the hub storing a desired patch of the temperature filter's twin
 * ({@code hub:twin-set}) to the gateway having checked it against the module's Metatype, stored it durably and given
 * it to the module as configuration (the gateway's log line; the module's own callback follows on the configuration
 * thread). Both ends' log clocks are this machine's clock.</li>
 * <li><b>baseline</b>, in the same run: the same hub pushing a desired patch to a bare MQTT client (Paho, in this
 * process) subscribed as another module identity: the transport floor, with nothing done on arrival.</li>
 * <li><b>reconcile after reconnect</b>: the gateway stopped while the desired threshold changes five times, then
 * started: from the module's twin connection being up again to the latest version applied; baseline: the bare client
 * reconnecting and reading its whole twin (connect, subscribe, GET, answer).</li>
 * </ul>
 * Run: {@code benchmarks/run -Dbench.main=org.outpost.benchmarks.TwinBenchmark} (after {@code mvn install
 * -DskipTests}); {@code -Dbench.rounds=N} desired patches (default 50), each from its own hub shell session.
 */
public final class TwinBenchmark {

    private static final String MODULE = "temperature-filter";
    private static final String RAW = "bench-raw";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private TwinBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 50);
        Files.createDirectories(Path.of(System.getProperty("outpost.exam.dir", "target/exam")).getParent());
        try (CloudPair pair = CloudPair.start(Map.of())) {
            pair.gateway.awaitLog("Twin " + CloudPair.DEVICE + "/" + MODULE + " connected", Duration.ofSeconds(60));
            Map<Long, Instant> rawArrivals = new ConcurrentHashMap<>();
            MqttClient raw = rawClient(pair, rawArrivals);

            // One shell session per round: the session's own start (about a second) spaces the patches out, so each
            // is measured alone rather than queued behind the previous one.
            for (int i = 1; i <= rounds; i++) {
                pair.hub.shell("hub:twin-set -m " + MODULE + " " + CloudPair.DEVICE + " '{\"threshold\": "
                        + (20 + i / 10.0) + "}'\nhub:twin-set -m " + RAW + " " + CloudPair.DEVICE + " '{\"n\": " + i
                        + "}'\n");
            }
            long lastVersion = rounds + 1;
            awaitLine(pair.gateway, "Module " + MODULE + ": desired version " + lastVersion + " applied");
            long deadline = System.currentTimeMillis() + 10_000;
            while (rawArrivals.size() < rounds && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            Map<Long, Instant> stored = times(pair.hub, "Desired properties of " + CloudPair.DEVICE + "/" + MODULE
                    + " patched to version (\\d+)");
            Map<Long, Instant> rawStored = times(pair.hub, "Desired properties of " + CloudPair.DEVICE + "/" + RAW
                    + " patched to version (\\d+)");
            Map<Long, Instant> applied = times(pair.gateway, "Module " + MODULE + ": desired version (\\d+) applied");
            long[] module = latencies(stored, applied);
            long[] floor = latencies(rawStored, rawArrivals);
            System.out.printf(Locale.ROOT, "Desired patch stored at the hub -> applied to the module (%d patches, one"
                    + " per hub shell session):%n", module.length);
            System.out.printf(Locale.ROOT, "  Outpost module twin: p50 %d ms, p99 %d ms, max %d ms%n",
                    percentile(module, 0.5), percentile(module, 0.99), module[module.length - 1]);
            System.out.printf(Locale.ROOT, "  baseline (bare MQTT client, same hub): p50 %d ms, p99 %d ms, max %d ms%n",
                    percentile(floor, 0.5), percentile(floor, 0.99), floor[floor.length - 1]);
            System.out.printf(Locale.ROOT, "  -> Outpost / baseline: p50 %.1f, p99 %.1f (p99 difference %d ms: the"
                    + " gateway's check, fsync and configuration)%n",
                    (double) percentile(module, 0.5) / Math.max(1, percentile(floor, 0.5)),
                    (double) percentile(module, 0.99) / Math.max(1, percentile(floor, 0.99)),
                    percentile(module, 0.99) - percentile(floor, 0.99));

            List<Long> reconcile = new ArrayList<>();
            List<Long> rawReconcile = new ArrayList<>();
            long version = lastVersion;
            for (int r = 0; r < 3; r++) {
                pair.gateway.stop();
                StringBuilder changes = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    changes.append("hub:twin-set -m ").append(MODULE).append(' ').append(CloudPair.DEVICE)
                            .append(" '{\"threshold\": ").append(40 + r * 10 + i).append("}'\n");
                }
                pair.hub.shell(changes.toString());
                version += 5;
                pair.gateway.start();
                awaitLine(pair.gateway, "Module " + MODULE + ": desired version " + version + " applied");
                Instant connected = lastTime(pair.gateway, "Twin " + CloudPair.DEVICE + "/" + MODULE + " connected");
                Instant done = times(pair.gateway, "Module " + MODULE + ": desired version (\\d+) applied")
                        .get(version);
                reconcile.add(Duration.between(connected, done).toMillis());
                rawReconcile.add(rawReconnect(raw, pair));
            }
            raw.disconnect();
            raw.close();
            long[] g = reconcile.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] b = rawReconcile.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "Reconcile after reconnect (5 versions missed, 3 restarts): twin connected"
                    + " -> latest applied p50 %d ms, max %d ms; baseline (bare client: connect, subscribe, GET the"
                    + " twin) p50 %d ms -> ratio %.1f%n", g[g.length / 2], g[g.length - 1], b[b.length / 2],
                    (double) g[g.length / 2] / Math.max(1, b[b.length / 2]));
        }
    }

    private static MqttClient rawClient(CloudPair pair, Map<Long, Instant> arrivals) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + pair.iothubPort, CloudPair.DEVICE + "/" + RAW,
                new MemoryPersistence());
        c.connect(options(pair));
        c.subscribe("$iothub/twin/PATCH/properties/desired/#", 1, (topic, message) -> {
            Matcher v = Pattern.compile("\\$version=(\\d+)").matcher(topic);
            if (v.find()) {
                arrivals.put(Long.parseLong(v.group(1)), Instant.now());
            }
        });
        return c;
    }

    private static MqttConnectOptions options(CloudPair pair) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setUserName("outpost-hub.local/" + CloudPair.DEVICE + "/" + RAW + "/?api-version=2021-04-12");
        o.setPassword(SasToken.create("outpost-hub.local/devices/" + CloudPair.DEVICE + "/modules/" + RAW, pair.key,
                Instant.now().plusSeconds(3600)).toCharArray());
        return o;
    }

    /** @return milliseconds for the bare client to reconnect and read its whole twin */
    private static long rawReconnect(MqttClient raw, CloudPair pair) throws Exception {
        raw.disconnect();
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        long t0 = System.nanoTime();
        raw.connect(options(pair));
        raw.subscribe("$iothub/twin/res/#", 1, (topic, message) -> answered.countDown());
        raw.publish("$iothub/twin/GET/?$rid=1", "".getBytes(StandardCharsets.UTF_8), 1, false);
        if (!answered.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the hub did not answer the bare client's twin GET");
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long[] latencies(Map<Long, Instant> from, Map<Long, Instant> to) {
        return from.entrySet().stream().filter(e -> to.containsKey(e.getKey()))
                .mapToLong(e -> Duration.between(e.getValue(), to.get(e.getKey())).toMillis()).sorted().toArray();
    }

    /** @return the time of each log line matching the pattern, by its first group (a version) */
    private static Map<Long, Instant> times(GatewayProcess p, String pattern) throws Exception {
        Pattern line = Pattern.compile("^(\\S+) \\|.*" + pattern);
        Map<Long, Instant> out = new ConcurrentHashMap<>();
        for (String l : Files.readAllLines(p.home().resolve("data/log/karaf.log"))) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                out.put(Long.parseLong(m.group(2)), LocalDateTime.parse(m.group(1), LOG_TIME)
                        .atZone(ZoneId.systemDefault()).toInstant());
            }
        }
        return out;
    }

    private static Instant lastTime(GatewayProcess p, String text) throws Exception {
        Instant last = null;
        for (String l : Files.readAllLines(p.home().resolve("data/log/karaf.log"))) {
            if (l.contains(text)) {
                last = LocalDateTime.parse(l.substring(0, l.indexOf(' ')), LOG_TIME).atZone(ZoneId.systemDefault())
                        .toInstant();
            }
        }
        return last;
    }

    private static void awaitLine(GatewayProcess p, String text) {
        p.awaitLog(text, Duration.ofSeconds(120));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
