/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.outpost.benchmarks.ProcessMemory;
import org.outpost.itests.CloudPair;
import org.outpost.itests.GatewayProcess;
import org.outpost.itests.SimulatedFleet;

/**
 * The Outpost side of {@link LeafBenchmark}: a hub and a gateway (the real distributions, each its own process, as
 * {@link CloudPair} starts them), the leaves registered at the hub as the gateway's children
 * ({@code hub:device-create --parent}), the gateway's upstream to a Mosquitto playing the cloud, and one route for
 * the leaves' telemetry.
 */
final class GatewayUnderTest {

    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");
    private final LeafBenchmark.Load load;

    GatewayUnderTest(LeafBenchmark.Load load) {
        this.load = load;
    }

    LeafBenchmark.Figures measure() throws Exception {
        int cloudPort = GatewayProcess.freePort();
        int endpoint = GatewayProcess.freePort();
        String cap = Integer.toString(load.leaves() + 200);
        try (TlsBroker cloudBroker = new TlsBroker(-1, cloudPort).start();
                CloudCounter cloud = new CloudCounter(cloudPort, CloudCounter.TELEMETRY);
                CloudPair pair = CloudPair.start(Map.of(
                        "org.outpost.edgehub", Map.of("host", "127.0.0.1", "tls.port", Integer.toString(endpoint),
                                "max.connections.per.address", cap, "max.connections", cap),
                        "org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + cloudPort)));
                LeafClients clients = new LeafClients(2, SimulatedFleet.HOST)) {
            pair.gateway.routes(Map.of("leaves", "FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO"
                    + " $upstream"));
            List<LeafClients.Leaf> leaves = register(pair.hub, load.leaves());
            Path ca = pair.gateway.home().resolve("data/outpost/ca/ca.pem");
            waitFor("the gateway's CA certificate " + ca, Duration.ofMinutes(2), () -> Files.exists(ca));
            SslContext trust = SslContextBuilder.forClient().trustManager(ca.toFile()).build();
            LeafClients.Target target = new LeafClients.Target("localhost", endpoint, trust);
            // The gateway learns its children from the hub (its device scope): wait until the first one is let in.
            waitFor("the gateway accepting its first leaf (its device scope from the hub)", Duration.ofMinutes(3),
                    () -> {
                        try (LeafClients probe = new LeafClients(1, SimulatedFleet.HOST)) {
                            return probe.connect(target, leaves.subList(0, 1), 1, Duration.ofSeconds(30))
                                    .accepted() == 1;
                        }
                    });
            long pid = pair.gateway.jvm().orElseThrow().pid();
            long heap0 = ProcessMemory.heapAfterGcKb(pid);
            long rss0 = ProcessMemory.rssKb(pid);
            LeafClients.Connected c = clients.connect(target, leaves, LeafBenchmark.WINDOW, Duration.ofMinutes(10));
            System.out.printf(Locale.ROOT, "outpost: %d connected at %.0f/s (%d refused, %d failed)%n", c.accepted(),
                    c.perSecond(), c.refused(), c.failed());
            if (c.accepted() == 0) {
                throw new IllegalStateException("the gateway accepted no leaf: see " + pair.gateway.home()
                        .resolve("data/log/karaf.log"));
            }
            double heapPer = (ProcessMemory.heapAfterGcKb(pid) - heap0) / (double) c.accepted();
            double rssPer = (ProcessMemory.rssKb(pid) - rss0) / (double) c.accepted();
            double rate = LeafBenchmark.sendAndCount(clients, cloud, load);
            System.out.printf(Locale.ROOT, "outpost: %d messages at %.0f/s%n", cloud.received(), rate);
            return new LeafBenchmark.Figures(c.perSecond(), rate, heapPer, rssPer, c.refused());
        }
    }

    /** Registers the leaves as children of the pair's gateway, in one shell session; returns them with their keys. */
    private static List<LeafClients.Leaf> register(GatewayProcess hub, int n) throws Exception {
        StringBuilder script = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "leaf-%05d", i);
            ids.add(id);
            script.append("hub:device-create --parent ").append(CloudPair.DEVICE).append(" --json ").append(id)
                    .append('\n');
        }
        String out = hub.shell(script.toString());
        Matcher m = KEY.matcher(out);
        List<LeafClients.Leaf> leaves = new ArrayList<>();
        while (m.find() && leaves.size() < n) {
            leaves.add(new LeafClients.Leaf(ids.get(leaves.size()), m.group(1)));
        }
        if (leaves.size() != n) {
            throw new IllegalStateException("hub:device-create --parent registered " + leaves.size() + " of " + n
                    + " leaves: " + (out.length() > 500 ? out.substring(0, 500) + "..." : out));
        }
        return leaves;
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitFor(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.done()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("timed out waiting for " + what + (last == null ? "" : " (last: "
                + last.getMessage() + ")"));
    }
}
