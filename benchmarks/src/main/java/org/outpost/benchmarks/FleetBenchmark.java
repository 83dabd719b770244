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
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.outpost.itests.GatewayProcess;
import org.outpost.itests.Mosquitto;
import org.outpost.itests.SimulatedFleet;
import org.outpost.testing.postgres.PostgresServer;

/**
 * One hub node under a fleet of simulated gateways, against a bare MQTT broker in the same run.
 * <p>
 * Each simulated gateway is a lightweight MQTT client (all of them share two Netty event-loop threads in this
 * process) that speaks the protocol a gateway's {@code $edgeAgent} speaks to the hub: it connects with a SAS token,
 * subscribes to its twin answers and desired patches, reads its twin, and answers every desired patch with a reported
 * patch as Outpost's deployment agent does ({@code lastDesiredVersion}, {@code lastDesiredStatus} 200, its module
 * running). The hub is the real distribution in its own process.
 * <ul>
 * <li><b>connect rate</b>: gateways connected and subscribed per second, 100 connecting at a time;</li>
 * <li><b>memory per connected device</b>: the hub's heap after a full GC, and its RSS, before and after they connect,
 * divided by their number;</li>
 * <li><b>deployment</b>: from the hub storing a deployment that targets every device ({@code hub:deployment-create},
 * the time of its log line) to the last gateway holding its desired twin, and to the hub's status counting all of
 * them as reporting success ({@code hub:deployment}, polled: a resolution of about a second).</li>
 * </ul>
 * <b>Baseline</b>, same clients, same run: Mosquitto (C, plain MQTT, no authentication, no storage) with the same
 * number of clients connecting the same way, then one publisher sending each its own message of the size of the
 * deployment's {@code $edgeAgent} twin: the transport floor of connecting and fanning out.
 * <p>
 * Run: {@code benchmarks/run -Dbench.main=org.outpost.benchmarks.FleetBenchmark -Dbench.devices=10000} (after
 * {@code mvn install -DskipTests}); 1,000 devices by default. The hub keeps its data in its embedded database, or with
 * {@code -Dbench.storage=postgresql} in a PostgreSQL cluster the benchmark starts (Debian's, with its default
 * durability: every commit synced).
 */
public final class FleetBenchmark {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = Integer.getInteger("bench.devices", 1000);
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target/exam")).toAbsolutePath().getParent();
        Files.createDirectories(base);
        List<String> ids = new ArrayList<>();
        Map<String, String> keys = new ConcurrentHashMap<>();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < devices; i++) {
            String id = String.format(Locale.ROOT, "sim-%05d", i);
            byte[] key = new byte[32];
            ThreadLocalRandom.current().nextBytes(key);
            keys.put(id, Base64.getEncoder().encodeToString(key));
            ids.add(id);
            jsonl.append("{\"id\": \"").append(id).append("\", \"primaryKey\": \"").append(keys.get(id))
                    .append("\", \"tags\": {\"fleet\": \"bench\", \"site\": \"site-").append(i % 10).append("\"}}\n");
        }
        String deployment = "{\"id\": \"fleet-bench\", \"priority\": 1, \"targetCondition\": \"tags.fleet ="
                + " 'bench'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"modules\": {\"sim\": {\"type\": \"bundle\", \"settings\":"
                + " {\"location\": \"mvn:org.outpost/heartbeat/0.1.0\"}}}}}, \"$edgeHub\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"routes\": {\"all\": \"FROM /messages/* INTO $upstream\"}}}}}}";
        int payloadBytes = 180;

        Result baseline = baseline(ids, payloadBytes);
        Result hub = hub(base, ids, keys, jsonl.toString(), deployment);
        System.out.println();
        System.out.printf(Locale.ROOT, "FleetBenchmark, %d simulated gateways, one hub node on %s, %d vCPU%n",
                devices, System.getProperty("bench.storage", "h2"), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-44s %12s %12s %8s%n", "", "Outpost hub", "Mosquitto", "ratio");
        System.out.printf(Locale.ROOT, "%-44s %12.0f %12.0f %8.2f%n", "connects/s (CONNECT+SAS+SUBSCRIBE)",
                hub.connectsPerSecond, baseline.connectsPerSecond, hub.connectsPerSecond
                        / baseline.connectsPerSecond);
        System.out.printf(Locale.ROOT, "%-44s %12d %12d %8.2f%n", "deployment -> last device holds it, ms",
                hub.fanOutMillis, baseline.fanOutMillis, (double) hub.fanOutMillis / Math.max(1,
                        baseline.fanOutMillis));
        System.out.printf(Locale.ROOT, "%-44s %12d %12s%n", "deployment -> hub status: all succeeded, ms",
                hub.reportedMillis, "-");
        System.out.printf(Locale.ROOT, "%-44s %12.1f %12s%n", "hub heap per connected device, KB",
                hub.heapPerDeviceKb, "-");
        System.out.printf(Locale.ROOT, "%-44s %12.1f %12.1f%n", "server RSS per connected device, KB",
                hub.rssPerDeviceKb, baseline.rssPerDeviceKb);
        System.out.printf(Locale.ROOT, "%-44s %12d %12s%n", "device import (hub:device-import), ms",
                hub.importMillis, "-");
    }

    private record Result(double connectsPerSecond, long fanOutMillis, long reportedMillis, double heapPerDeviceKb,
            double rssPerDeviceKb, long importMillis) {
    }

    // ---- The hub

    private static Result hub(Path base, List<String> ids, Map<String, String> keys, String jsonl, String deployment)
            throws Exception {
        boolean postgres = "postgresql".equals(System.getProperty("bench.storage", "h2"));
        try (PostgresServer db = postgres ? PostgresServer.start(GatewayProcess.freePort(), true) : null;
                GatewayProcess hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                        Files.createTempDirectory(base, "fleet-hub"));
                SimulatedFleet fleet = new SimulatedFleet(2)) {
            if (db != null) {
                hub.config("org.outpost.hub.storage", Map.of("url", db.url(), "user", PostgresServer.USER,
                        "password", PostgresServer.PASSWORD));
            }
            int port = GatewayProcess.freePort();
            hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
            // Every simulated device comes from 127.0.0.1: one address, so the cap per address is the fleet's size.
            hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(port), "tls.port", "-1",
                    "max.connections.per.address", Integer.toString(ids.size() + 100), "max.connections",
                    Integer.toString(Math.max(10_000, ids.size() + 100))));
            hub.start();
            waitFor("the hub's shell", Duration.ofSeconds(120), () -> hub.shell("hub:devices").contains("No devices"));
            Path file = hub.home().resolve("devices.jsonl");
            Files.writeString(file, jsonl);
            long t0 = System.nanoTime();
            String imported = hub.shell("hub:device-import " + file);
            long importMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("hub: " + imported.strip().replaceAll("\n\\s*", " / "));
            long pid = hub.jvm().orElseThrow().pid();
            long heap0 = ProcessMemory.heapAfterGcKb(pid);
            long rss0 = ProcessMemory.rssKb(pid);

            long c0 = System.nanoTime();
            fleet.connectGateways(port, keys);
            double rate = ids.size() / ((System.nanoTime() - c0) / 1e9);
            System.out.printf(Locale.ROOT, "hub: %d connected at %.0f/s (%d refused)%n", fleet.connected(), rate,
                    fleet.refused.get());
            double heapPer = (ProcessMemory.heapAfterGcKb(pid) - heap0) / (double) ids.size();
            double rssPer = (ProcessMemory.rssKb(pid) - rss0) / (double) ids.size();

            Path dfile = hub.home().resolve("deployment.json");
            Files.writeString(dfile, deployment);
            fleet.forgetArrivals();
            System.out.println("hub: " + hub.shell("hub:deployment-create " + dfile).strip());
            Instant created = logTime(hub, "Deployment fleet-bench created");
            waitFor("every gateway holding the deployment", Duration.ofMinutes(10),
                    () -> fleet.arrivals.size() == ids.size());
            Instant last = fleet.arrivals.values().stream().max(Instant::compareTo).orElseThrow();
            long fanOut = Duration.between(created, last).toMillis();
            Pattern succeeded = Pattern.compile("\"reportedSuccessfulCount\"\\s*:\\s*(\\d+)");
            waitFor("the hub counting every gateway as succeeded", Duration.ofMinutes(10), () -> {
                Matcher m = succeeded.matcher(hub.shell("hub:deployments --json"));
                return m.find() && Integer.parseInt(m.group(1)) == ids.size();
            });
            long reported = Duration.between(created, Instant.now()).toMillis();
            return new Result(rate, fanOut, reported, heapPer, rssPer, importMillis);
        }
    }

    // ---- The baseline

    private static Result baseline(List<String> ids, int payloadBytes) throws Exception {
        int port = GatewayProcess.freePort();
        try (Mosquitto broker = new Mosquitto(port, false).start(); SimulatedFleet fleet = new SimulatedFleet(2)) {
            long pid = mosquittoPid(port);
            long rss0 = ProcessMemory.rssKb(pid);
            long c0 = System.nanoTime();
            fleet.connectPlain(port, ids);
            double rate = ids.size() / ((System.nanoTime() - c0) / 1e9);
            double rssPer = (ProcessMemory.rssKb(pid) - rss0) / (double) ids.size();
            System.out.printf(Locale.ROOT, "baseline: %d connected at %.0f/s%n", fleet.connected(), rate);
            Instant start = Instant.now();
            fleet.publishToPlain(port, ids, "x".repeat(payloadBytes));
            waitFor("every client holding its message", Duration.ofMinutes(5), () -> fleet.arrivals.size() == ids
                    .size());
            long fanOut = Duration.between(start, fleet.arrivals.values().stream().max(Instant::compareTo)
                    .orElseThrow()).toMillis();
            return new Result(rate, fanOut, 0, 0, rssPer, 0);
        }
    }

    // ---- Measuring

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitFor(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.done()) {
                    return;
                }
            } catch (java.io.IOException e) {
                // The shell is not up yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static Instant logTime(GatewayProcess process, String text) throws Exception {
        Path log = process.home().resolve("data/log/karaf.log");
        for (String l : Files.readAllLines(log)) {
            if (l.contains(text)) {
                return LocalDateTime.parse(l.substring(0, l.indexOf(' ')), LOG_TIME).atZone(ZoneId.systemDefault())
                        .toInstant();
            }
        }
        throw new IllegalStateException("'" + text + "' is not in " + log);
    }

    private static long mosquittoPid(int port) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("mosquitto")
                && !c.contains("java")).orElse(false)).map(ProcessHandle::pid).max(Long::compare)
                .orElseThrow(() -> new IllegalStateException("no Mosquitto process for port " + port));
    }
}
