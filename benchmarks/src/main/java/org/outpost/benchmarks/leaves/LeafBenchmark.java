/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.outpost.benchmarks.ProcessMemory;
import org.outpost.itests.GatewayProcess;

/**
 * Leaf devices on one gateway, against Mosquitto in the same run.
 * <ul>
 * <li><b>connect rate</b>: leaves connected per second (TLS, CONNECT with a SAS token, CONNACK), 100 connecting at a
 * time, to the gateway's IoT Hub endpoint (which checks each token against its device scope) and to a Mosquitto
 * started here with a TLS listener (EC P-256 like the gateway's certificate; it checks no credentials);</li>
 * <li><b>messages/s</b>: every leaf sends its messages (QoS 1, a few in flight each) until all arrived at the cloud:
 * for Outpost through the gateway's routes ({@code FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO
 * $upstream}), its store and its upstream to a Mosquitto playing the cloud; for the baseline through Mosquitto to a
 * subscriber on it;</li>
 * <li><b>memory per connected leaf</b>: the gateway's heap after a full GC, and its RSS, before and after the leaves
 * connected, divided by their number; Mosquitto's RSS the same way.</li>
 * </ul>
 * Run: {@code benchmarks/run leaves} (after {@code mvn install -DskipTests}); {@code -Dbench.leaves=1000
 * -Dbench.messages=100 -Dbench.bytes=256 -Dbench.json=true}; {@code -Dbench.phase=baseline} measures only the
 * baseline (no distribution needed).
 */
public final class LeafBenchmark {

    static final int WINDOW = 100;
    static final int IN_FLIGHT_PER_LEAF = 4;

    private LeafBenchmark() {
    }

    /** What one system did. NaN where not measured. */
    record Figures(double connectsPerSecond, double messagesPerSecond, double heapPerLeafKb, double rssPerLeafKb,
            int refused) {
        static final Figures NONE = new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /** The run's parameters. */
    record Load(int leaves, int messagesPerLeaf, int bytes) {
        long messages() {
            return (long) leaves * messagesPerLeaf;
        }
    }

    public static void main(String[] args) throws Exception {
        Load load = new Load(Integer.getInteger("bench.leaves", 1000), Integer.getInteger("bench.messages", 100),
                Integer.getInteger("bench.bytes", 256));
        String phase = System.getProperty("bench.phase", "all");
        Figures baseline = baseline(load);
        Figures outpost = Figures.NONE;
        String failure = null;
        if (!phase.equals("baseline")) {
            try {
                outpost = new GatewayUnderTest(load).measure();
            } catch (Exception | AssertionError e) {
                failure = "Outpost not measured: " + String.valueOf(e.getMessage()).strip()
                        .replaceAll("\\s*\\n\\s*", " / ");
                e.printStackTrace();
            }
        }
        LeafReport report = report(load, outpost, baseline);
        if (failure != null) {
            report.note(failure);
        }
        System.out.println();
        System.out.println(Boolean.getBoolean("bench.json") ? report.json() : report.table());
        if (failure != null) {
            System.exit(1);
        }
    }

    static LeafReport report(Load load, Figures outpost, Figures baseline) {
        return new LeafReport(String.format(Locale.ROOT, "LeafBenchmark: %d leaves, %d messages of %d bytes each,"
                + " %d vCPU", load.leaves(), load.messagesPerLeaf(), load.bytes(), Runtime.getRuntime()
                        .availableProcessors()))
                .add("connects/s (TLS + SAS CONNECT)", outpost.connectsPerSecond(), baseline.connectsPerSecond(), true)
                .add("messages/s leaves -> cloud", outpost.messagesPerSecond(), baseline.messagesPerSecond(), true)
                .add("RSS per connected leaf, KB", outpost.rssPerLeafKb(), baseline.rssPerLeafKb(), false)
                .add("heap after GC per connected leaf, KB", outpost.heapPerLeafKb(), Double.NaN, false);
    }

    /** @return ids and random keys of the simulated leaves */
    static List<LeafClients.Leaf> leaves(int n) {
        List<LeafClients.Leaf> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[32];
            ThreadLocalRandom.current().nextBytes(key);
            out.add(new LeafClients.Leaf(String.format(Locale.ROOT, "leaf-%05d", i), Base64.getEncoder()
                    .encodeToString(key)));
        }
        return out;
    }

    /** Mosquitto with a TLS listener for the leaves and a plain one for the subscriber playing the cloud. */
    static Figures baseline(Load load) throws Exception {
        int tls = GatewayProcess.freePort();
        int plain = GatewayProcess.freePort();
        try (TlsBroker broker = new TlsBroker(tls, plain).start();
                LeafClients clients = new LeafClients(2, "outpost-hub.local");
                CloudCounter cloud = new CloudCounter(plain, CloudCounter.TELEMETRY)) {
            SslContext trust = SslContextBuilder.forClient().trustManager(broker.caPem().toFile()).build();
            long rss0 = ProcessMemory.rssKb(broker.pid());
            LeafClients.Connected c = clients.connect(new LeafClients.Target("localhost", tls, trust),
                    leaves(load.leaves()), WINDOW, Duration.ofMinutes(5));
            double rssPer = (ProcessMemory.rssKb(broker.pid()) - rss0) / (double) Math.max(1, c.accepted());
            System.out.printf(Locale.ROOT, "baseline: %d connected at %.0f/s (%d refused, %d failed)%n",
                    c.accepted(), c.perSecond(), c.refused(), c.failed());
            double rate = sendAndCount(clients, cloud, load);
            System.out.printf(Locale.ROOT, "baseline: %d messages at %.0f/s%n", cloud.received(), rate);
            return new Figures(c.perSecond(), rate, Double.NaN, rssPer, c.refused());
        }
    }

    /** Every leaf sends its messages; returns messages/s from the first send to the last arrival at the cloud. */
    static double sendAndCount(LeafClients clients, CloudCounter cloud, Load load) throws Exception {
        cloud.reset();
        long expected = (long) clients.connected() * load.messagesPerLeaf();
        long t0 = System.nanoTime();
        clients.publish(load.messagesPerLeaf(), load.bytes(), IN_FLIGHT_PER_LEAF, Duration.ofMinutes(10));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (cloud.received() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cloud got " + cloud.received() + " of " + expected
                        + " messages in 5 minutes after the last was acknowledged");
            }
            Thread.sleep(20);
        }
        return expected / ((cloud.lastNanos() - t0) / 1e9);
    }
}
