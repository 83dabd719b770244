/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.outpost.itests.GatewayProcess;
import org.outpost.itests.Mosquitto;

/**
 * The edge analytics demo in numbers (issue 20): three simulated sensors at 100 readings/s each (the route module
 * {@code simulated-readings.camel.yaml}, a 10 ms timer) feed {@code window-stats.camel.yaml} (1 s tumbling windows per
 * sensor) and {@code anomaly.camel.yaml} (z-score alerts); only summaries and alerts go to {@code $upstream}, a local
 * Mosquitto playing the cloud. After a warm-up it counts, over {@code bench.seconds} (default 60): readings the sensors
 * sent (the gateway's {@code edgehub_messages_received_total}), messages sent to {@code $upstream}, and what arrived
 * at the cloud, and prints the reduction. Route files come from the distribution's {@code samples/routes/} (or the
 * source tree). Needs the route module runtime (issue 20's core and routes parts) in the distribution.
 * <p>
 * Run: {@code benchmarks/run analytics [-Dbench.seconds=60] [-Dbench.json=true]}.
 */
public final class AnalyticsDemo {

    private AnalyticsDemo() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "60"));
        double warmup = Double.parseDouble(System.getProperty("bench.warmup", "10"));
        boolean json = Boolean.getBoolean("bench.json");
        Path distribution = Path.of(System.getProperty("outpost.distribution"));
        Path work = Files.createTempDirectory("outpost-analytics-demo");
        int cloudPort = GatewayProcess.freePort();
        try (Mosquitto cloud = new Mosquitto(cloudPort, false).start();
                CloudCount arrived = new CloudCount(cloudPort);
                GatewayProcess gateway = new GatewayProcess(distribution, work.resolve("gateway"))) {
            gateway.config("org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + cloudPort));
            gateway.routes(Map.of(
                    "readingsToWindows", "FROM /messages/modules/simulated-readings/outputs/readings"
                            + " INTO BrokeredEndpoint(\"/modules/window-stats/inputs/readings\")",
                    "readingsToAnomaly", "FROM /messages/modules/simulated-readings/outputs/readings"
                            + " INTO BrokeredEndpoint(\"/modules/anomaly/inputs/readings\")",
                    "summaries", "FROM /messages/modules/window-stats/outputs/summary INTO $upstream",
                    "alerts", "FROM /messages/modules/anomaly/outputs/alerts INTO $upstream"));
            System.out.println("Starting the gateway from " + distribution);
            gateway.start();
            gateway.awaitLog("Upstream connected", Duration.ofSeconds(120));
            // The shell takes commands once the gateway has made its operator key.
            org.awaitility.Awaitility.await("the gateway's shell").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> gateway.shell("edge:list") != null);
            // The modules' settings through the shell: fileinstall reads a '-' in etc/<pid>.cfg as a factory PID.
            configure(gateway, "simulated-readings", "period.ms 10", "sensors m1,m2,m3", "spike.odds 5000");
            configure(gateway, "window-stats", "window.seconds 1");
            configure(gateway, "anomaly", "window.size 200", "threshold 4.0");
            for (String module : new String[] {"window-stats", "anomaly", "simulated-readings"}) {
                Files.copy(sample(gateway, module + ".camel.yaml"), gateway.home().resolve("deploy/" + module
                        + ".camel.yaml"));
            }
            GatewayMetrics metrics = new GatewayMetrics(gateway.metricsPort());
            org.awaitility.Awaitility.await("readings from simulated-readings").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> metrics.scrape().sum("edgehub_messages_received_total", "id", "simulated-readings")
                            > 0);
            System.out.printf(Locale.ROOT, "Readings flow; %.0f s warm-up, then %.0f s measured%n", warmup, seconds);
            Thread.sleep((long) (warmup * 1000));

            Counts before = counts(metrics.scrape(), arrived);
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            Counts after = counts(metrics.scrape(), arrived);
            double elapsed = (System.nanoTime() - start) / 1e9;
            report(after.minus(before), elapsed, json);
            gateway.stop();
        }
    }

    private static Path sample(GatewayProcess gateway, String name) {
        Path shipped = gateway.home().resolve("samples/routes").resolve(name);
        return Files.exists(shipped) ? shipped
                : Path.of("../karaf-distribution/gateway/src/main/resources/samples/routes").resolve(name);
    }

    /** What was counted: readings in, messages to $upstream (gateway), and at the cloud (summaries, alerts). */
    record Counts(double readings, double toUpstream, long summaries, long alerts, long cloud) {
        Counts minus(Counts o) {
            return new Counts(readings - o.readings, toUpstream - o.toUpstream, summaries - o.summaries,
                    alerts - o.alerts, cloud - o.cloud);
        }
    }

    private static Counts counts(GatewayMetrics m, CloudCount c) {
        return new Counts(m.sum("edgehub_messages_received_total", "id", "simulated-readings"),
                m.sum("edgehub_messages_sent_total", "to", "$upstream"), c.summaries.get(), c.alerts.get(),
                c.total());
    }

    static void report(Counts d, double seconds, boolean json) {
        double ratio = d.cloud() == 0 ? Double.POSITIVE_INFINITY : d.readings() / d.cloud();
        if (json) {
            System.out.printf(Locale.ROOT, "{\"seconds\": %.1f, \"readings\": %.0f, \"readingsPerSecond\": %.1f,"
                    + " \"sentToUpstream\": %.0f, \"arrivedSummaries\": %d, \"arrivedAlerts\": %d, \"arrived\": %d,"
                    + " \"reduction\": %.1f}%n", seconds, d.readings(), d.readings() / seconds, d.toUpstream(),
                    d.summaries(), d.alerts(), d.cloud(), ratio);
            return;
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %12s %12s%n", "what", "messages", "per second");
        System.out.printf(Locale.ROOT, "%-34s %12.0f %12.1f%n", "readings in (3 sensors)", d.readings(),
                d.readings() / seconds);
        System.out.printf(Locale.ROOT, "%-34s %12.0f %12.1f%n", "sent to $upstream (gateway)", d.toUpstream(),
                d.toUpstream() / seconds);
        System.out.printf(Locale.ROOT, "%-34s %12d %12.1f%n", "arrived at the cloud: summaries", d.summaries(),
                d.summaries() / seconds);
        System.out.printf(Locale.ROOT, "%-34s %12d %12.1f%n", "arrived at the cloud: alerts", d.alerts(),
                d.alerts() / seconds);
        System.out.printf(Locale.ROOT, "%nreadings per message upstream: %.1f (over %.1f s)%n", ratio, seconds);
    }

    /** Sets a route module's settings (its configuration PID) in the running gateway's shell. */
    private static void configure(GatewayProcess gateway, String module, String... settings) throws Exception {
        StringBuilder script = new StringBuilder("config:edit org.outpost.module." + module + "\n");
        for (String setting : settings) {
            script.append("config:property-set ").append(setting).append('\n');
        }
        gateway.shell(script.append("config:update").toString());
    }
}
