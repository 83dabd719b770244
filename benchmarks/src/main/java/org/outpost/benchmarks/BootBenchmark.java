/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.itests.GatewayProcess;
import org.outpost.itests.Mosquitto;

/**
 * Boot to ready of the gateway distribution against bare Apache Karaf (the same Karaf version, as it ships), in one
 * run. Both are unpacked into a temporary folder and started once (the first start: features resolved and installed),
 * then started {@code bench.boots} more times each, alternating, each a warm start with {@code data/} as the previous
 * start left it (stopped with SIGTERM in between, as an operator stops it). Every listener is on a free port.
 * <p>
 * Times run from the moment the harness starts {@code bin/karaf server} (the script, the JVM and the framework
 * included) to:
 * <ul>
 * <li><b>ready</b>, for the gateway: the demo sensor's first reading of this start arrives at the cloud (a Mosquitto
 * the gateway's upstream points at): the sensor module ran, its reading was stored in the journal, routed and
 * forwarded, so modules, routing, the broker and the upstream all serve;</li>
 * <li><b>shell</b>, for both: the SSH server answers with its banner, the point bare Karaf reaches when its boot
 * features are started (bare Karaf's "ready": it has nothing else to serve).</li>
 * </ul>
 * The ratio is the gateway's ready over bare Karaf's shell (medians). Milestones of the gateway's start are read from
 * its log. {@code benchmarks/run boot [-Dbench.boots=5] [-Dbench.json=true] [-Dbench.distribution=<gateway tar.gz>]}.
 */
public final class BootBenchmark {

    private static final Pattern TIME_CREATED = Pattern.compile("\"timeCreated\":\"([^\"]+)\"");

    /** Log lines that mark the gateway's progress (first occurrence). */
    private static final Map<String, String> GATEWAY_MARKS = new LinkedHashMap<>();
    private static final Map<String, String> KARAF_MARKS = new LinkedHashMap<>();

    static {
        GATEWAY_MARKS.put("log up", " | ");
        GATEWAY_MARKS.put("boot features done", "Registering FeatureDeploymentListener");
        GATEWAY_MARKS.put("broker started", "Broker 'outpost' started");
        GATEWAY_MARKS.put("camel started", "context 'outpost' started");
        GATEWAY_MARKS.put("routes added", "Added routes [outpost-router]");
        GATEWAY_MARKS.put("iothub listening", "IoT Hub endpoint listening");
        GATEWAY_MARKS.put("sensor activated", "Sending a reading every");
        GATEWAY_MARKS.put("upstream connected", "Upstream connected");
        KARAF_MARKS.put("log up", " | ");
        KARAF_MARKS.put("boot features done", "Registering FeatureDeploymentListener");
    }

    /** One start's figures: milliseconds from process start, and the JVM's CPU seconds at ready. */
    record Boot(String system, boolean first, double shellMillis, double readyMillis, double cpuSeconds,
            Map<String, Double> milestones) {
    }

    private static volatile long firstReadingNanos;
    private static volatile long bootStartEpochMillis;

    private BootBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int boots = Integer.getInteger("bench.boots", 5);
        boolean json = Boolean.getBoolean("bench.json");
        // -Dbench.distribution=<tar.gz> measures another build of the gateway (an earlier one, say).
        Path distribution = Path.of(System.getProperty("bench.distribution", System.getProperty("outpost.distribution")));
        Path karafZip = Path.of(System.getProperty("karaf.zip"));
        Path work = Files.createTempDirectory("outpost-boot-bench");
        int cloudPort = GatewayProcess.freePort();
        List<Boot> results = new ArrayList<>();
        KarafBoot gateway = null;
        KarafBoot karaf = null;
        try (Mosquitto cloud = new Mosquitto(cloudPort, false).start()) {
            MqttClient sub = cloudSubscriber(cloudPort);
            gateway = gateway(distribution, work.resolve("gateway"), cloudPort);
            karaf = bareKaraf(karafZip, work.resolve("karaf"));
            results.add(bootKaraf(karaf, true));
            results.add(bootGateway(gateway, true));
            for (int i = 0; i < boots; i++) {
                if (i % 2 == 0) {
                    results.add(bootKaraf(karaf, false));
                    results.add(bootGateway(gateway, false));
                } else {
                    results.add(bootGateway(gateway, false));
                    results.add(bootKaraf(karaf, false));
                }
            }
            sub.disconnect();
            sub.close();
        } finally {
            if (gateway != null) {
                gateway.kill();
            }
            if (karaf != null) {
                karaf.kill();
            }
        }
        BootReport.print(results, json);
    }

    private static KarafBoot gateway(Path distribution, Path dir, int cloudPort) throws Exception {
        GatewayProcess unpacked = new GatewayProcess(distribution, dir);
        int ssh = GatewayProcess.freePort();
        unpacked.config("org.apache.karaf.shell", Map.of("sshPort", Integer.toString(ssh)));
        unpacked.config("org.outpost.edgehub", Map.of("tls.port", Integer.toString(GatewayProcess.freePort()),
                "websocket.port", Integer.toString(GatewayProcess.freePort())));
        unpacked.config("org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + cloudPort));
        return new KarafBoot(unpacked.home(), ssh);
    }

    private static KarafBoot bareKaraf(Path zip, Path dir) throws Exception {
        Path home = KarafBoot.unpack(zip, dir);
        int ssh = GatewayProcess.freePort();
        KarafBoot.setProperties(home, "org.apache.karaf.shell.cfg", Map.of("sshPort", Integer.toString(ssh)));
        KarafBoot.setProperties(home, "org.apache.karaf.management.cfg", Map.of("rmiRegistryPort",
                Integer.toString(GatewayProcess.freePort()), "rmiServerPort", Integer.toString(GatewayProcess.freePort())));
        return new KarafBoot(home, ssh);
    }

    private static Boot bootKaraf(KarafBoot karaf, boolean first) throws Exception {
        karaf.rotateLog(Long.toString(System.currentTimeMillis()));
        karaf.start();
        double shell = karaf.awaitSsh(first ? 300_000 : 120_000);
        double cpu = karaf.cpuSeconds();
        settle(karaf);
        Boot boot = new Boot("karaf", first, shell, shell, cpu, karaf.milestones(KARAF_MARKS));
        karaf.stop();
        progress(boot);
        return boot;
    }

    private static Boot bootGateway(KarafBoot gateway, boolean first) throws Exception {
        gateway.rotateLog(Long.toString(System.currentTimeMillis()));
        firstReadingNanos = 0;
        gateway.start();
        bootStartEpochMillis = gateway.startEpochMillis();
        long timeout = first ? 300_000 : 120_000;
        gateway.await(() -> firstReadingNanos != 0, timeout, "the sensor's first reading at the cloud");
        double ready = gateway.millisAt(firstReadingNanos);
        double cpu = gateway.cpuSeconds();
        double shell = gateway.awaitSsh(timeout);
        settle(gateway);
        Boot boot = new Boot("outpost", first, shell, ready, cpu, gateway.milestones(GATEWAY_MARKS));
        gateway.stop();
        progress(boot);
        return boot;
    }

    /** Lets the instance finish what it does after ready (so the next warm start finds a settled data/). */
    private static void settle(KarafBoot instance) throws InterruptedException {
        Thread.sleep(3000);
    }

    private static void progress(Boot b) {
        System.out.printf(Locale.ROOT, "%-8s %-5s shell %6.0f ms, ready %6.0f ms, CPU %5.1f s at ready %s%n",
                b.system(), b.first() ? "first" : "warm", b.shellMillis(), b.readyMillis(), b.cpuSeconds(),
                b.milestones());
    }

    /**
     * A subscriber at the cloud for the sensor's readings: it notes the arrival of the first reading created since
     * the current start (an earlier start's reading, forwarded late, does not count).
     */
    private static MqttClient cloudSubscriber(int port) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "boot-benchmark-cloud", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.subscribe("devices/+/modules/simulated-temperature-sensor/#", 0, (topic, message) -> {
            if (firstReadingNanos != 0) {
                return;
            }
            long now = System.nanoTime();
            Matcher m = TIME_CREATED.matcher(new String(message.getPayload(), StandardCharsets.UTF_8));
            if (m.find() && Instant.parse(m.group(1)).toEpochMilli() >= bootStartEpochMillis) {
                firstReadingNanos = now;
            }
        });
        return client;
    }

    static double median(List<Boot> boots, ToDoubleFunction<Boot> f) {
        double[] v = boots.stream().mapToDouble(f).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
