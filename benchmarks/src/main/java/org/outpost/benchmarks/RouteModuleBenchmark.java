/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.outpost.itests.GatewayProcess;
import org.outpost.itests.Mosquitto;

/**
 * A route module against a bundle module doing the same, in one gateway and one run (issue 20): the load generator's
 * 1 KB messages go to the module's input {@code in}; the module turns each into {@code {"via":...,<rest>}} and sends it
 * to its output {@code out} (stored in the journal before the input is acknowledged), routed to {@code $upstream}, a
 * local Mosquitto. The route module is {@code camel-transform.camel.yaml} (a Camel {@code transform} with the simple
 * language between {@code outpost:input/in} and {@code outpost:output/out}); the bundle module is
 * {@link JavaTransform}. The gateway's routes take the load to one module at a time; each is measured at the paced
 * rates of {@code bench.rates} (default 2000,4000,6000; 0 is as fast as the load generator can, which floods the
 * broker into paging and measures that instead), after a JIT warm-up of both ({@code bench.jit} seconds each at 2,000
 * msg/s): its output rate (the gateway's {@code edgehub_messages_received_total} of the module) and the arrival rate
 * and latency at the cloud. The report ends with each module's highest rate carried in full (at least 97% delivered,
 * p99 at most 500 ms) and the route module's throughput as a ratio of the bundle module's.
 * <p>
 * Run: {@code benchmarks/run camel [-Dbench.seconds=15] [-Dbench.rates=2000,4000,6000] [-Dbench.jit=20]
 * [-Dbench.jfr=dir]} (a flight recording of each measured window).. Needs the route module runtime
 * (issue 20's {@code outpost} component and {@code deploy/} transformer) in the distribution.
 */
public final class RouteModuleBenchmark {

    private static final int SIZE = 1024;
    static final String ROUTE_MODULE = """
            # Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
            # RouteModuleBenchmark: input "in" -> {"via":"camel",<rest of the body>} -> output "out".
            - route:
                id: camel-transform
                from:
                  uri: outpost:input/in
                  steps:
                    - transform:
                        simple: '{"via":"camel",${substring(1)}'
                    - to: outpost:output/out
            """;

    record Result(String module, int rate, double outputRate, double cloudRate, double p50, double p99,
            double cpuPercent) {

        /** @return the gateway's CPU time per message out of the module, in microseconds */
        double cpuMicrosPerMessage() {
            return outputRate == 0 ? 0 : cpuPercent / 100 / outputRate * 1e6;
        }
    }

    private RouteModuleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "15"));
        double warmup = Double.parseDouble(System.getProperty("bench.warmup", "5"));
        double jit = Double.parseDouble(System.getProperty("bench.jit", "20"));
        int[] rates = java.util.Arrays.stream(System.getProperty("bench.rates", "2000,4000,6000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        Path distribution = Path.of(System.getProperty("outpost.distribution"));
        String version = System.getProperty("outpost.version");
        Path work = Files.createTempDirectory("outpost-bench-camel");
        int cloudPort = GatewayProcess.freePort();
        List<Result> results = new ArrayList<>();
        try (Mosquitto cloud = new Mosquitto(cloudPort, false).start();
                Arrivals arrivals = new Arrivals(cloudPort, "#");
                GatewayProcess gateway = new GatewayProcess(distribution, work.resolve("gateway"))) {
            gateway.config("org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + cloudPort));
            gateway.routes(routes(null));
            gateway.start();
            gateway.awaitLog("Upstream connected", Duration.ofSeconds(120));
            Files.writeString(gateway.home().resolve("deploy/camel-transform.camel.yaml"), ROUTE_MODULE);
            writeJavaModule(gateway.home().resolve("deploy/java-transform.jar"));
            Files.copy(gateway.home().resolve("system/org/outpost/load-generator/" + version + "/load-generator-"
                    + version + ".jar"), gateway.home().resolve("deploy/load-generator.jar"));
            org.awaitility.Awaitility.await("both modules running").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                        String list = gateway.shell("edge:list");
                        return list.matches("(?s).*camel-transform[^\\n]*running.*")
                                && list.matches("(?s).*java-transform[^\\n]*running.*");
                    });
            GatewayMetrics metrics = new GatewayMetrics(gateway.metricsPort());
            int[] run = {0};
            // JIT warm-up of both paths, not reported: whichever went first in a fresh gateway met a cold JIT.
            for (String module : new String[] {"camel-transform", "java-transform"}) {
                load(gateway, module, 2000, run);
                System.out.printf(Locale.ROOT, "%s: JIT warm-up at 2000 msg/s, %.0f s%n", module, jit);
                Thread.sleep((long) (jit * 1000));
                stopLoad(gateway, arrivals);
            }
            int round = 0;
            for (int rate : rates) {
                // Alternate which goes first, so that neither always meets a warmer JIT.
                String[] order = round++ % 2 == 0 ? new String[] {"camel-transform", "java-transform"}
                        : new String[] {"java-transform", "camel-transform"};
                for (String module : order) {
                    load(gateway, module, rate, run);
                    record(gateway, module, rate, warmup, seconds);
                    results.add(measure(module, rate, metrics, arrivals, new Cpu(gateway.jvm().orElseThrow().pid()),
                            warmup, seconds));
                    stopLoad(gateway, arrivals);
                }
            }
            gateway.stop();
        }
        report(results);
    }

    /** Routes the load generator to {@code module} and starts it at {@code rate} msg/s (0: as fast as it can). */
    private static void load(GatewayProcess gateway, String module, int rate, int[] run) throws Exception {
        gateway.routes(routes(module));
        Thread.sleep(2000);
        gateway.config("org.outpost.samples.load", Map.of("rate", Integer.toString(rate), "size",
                Integer.toString(SIZE), "max.inflight", "2000"));
        gateway.awaitLog("Load generator run " + run[0]++, Duration.ofSeconds(60));
    }

    /** With {@code -Dbench.jfr=<dir>}: a flight recording (profile settings) of the measured window. */
    private static void record(GatewayProcess gateway, String module, int rate, double warmup, double seconds)
            throws Exception {
        String jfr = System.getProperty("bench.jfr", "");
        if (jfr.isEmpty()) {
            return;
        }
        Path file = Path.of(jfr).toAbsolutePath().resolve(module + "-" + (rate == 0 ? "max" : rate) + ".jfr");
        Files.createDirectories(file.getParent());
        new ProcessBuilder("jcmd", Long.toString(gateway.jvm().orElseThrow().pid()), "JFR.start",
                "name=bench-" + module + "-" + rate, "settings=profile", "delay=" + (long) Math.ceil(warmup) + "s",
                "duration=" + (long) Math.ceil(seconds) + "s", "filename=" + file).inheritIO().start().waitFor();
    }

    /** Stops the load generator and waits until the cloud has had nothing for 2 s (what was queued is delivered). */
    private static void stopLoad(GatewayProcess gateway, Arrivals arrivals) throws Exception {
        Files.delete(gateway.home().resolve("etc/org.outpost.samples.load.cfg"));
        arrivals.awaitQuiet(2000, 300_000);
    }

    /** The gateway's routes with the load going to {@code module} (none: the load goes nowhere yet). */
    static Map<String, String> routes(String module) {
        Map<String, String> routes = new java.util.LinkedHashMap<>();
        if (module != null) {
            routes.put("load", "FROM /messages/modules/load-generator/* INTO BrokeredEndpoint(\"/modules/" + module
                    + "/inputs/in\")");
        }
        routes.put("camel", "FROM /messages/modules/camel-transform/outputs/* INTO $upstream");
        routes.put("java", "FROM /messages/modules/java-transform/outputs/* INTO $upstream");
        return routes;
    }

    private static Result measure(String module, int rate, GatewayMetrics metrics, Arrivals arrivals, Cpu cpu,
            double warmup, double seconds) throws Exception {
        System.out.printf(Locale.ROOT, "%s at %s: %.0f s warm-up, %.0f s measured%n", module,
                rate == 0 ? "max" : rate + " msg/s", warmup, seconds);
        Thread.sleep((long) (warmup * 1000));
        double before = metrics.scrape().sum("edgehub_messages_received_total", "id", module);
        long start = System.nanoTime();
        cpu.start();
        Arrivals.Window cloud = arrivals.measure(seconds);
        double cpuPercent = cpu.percent();
        double after = metrics.scrape().sum("edgehub_messages_received_total", "id", module);
        double out = (after - before) / ((System.nanoTime() - start) / 1e9);
        Result r = new Result(module, rate, out, cloud.rate(), cloud.percentileMillis(0.5),
                cloud.percentileMillis(0.99), cpuPercent);
        System.out.printf(Locale.ROOT, "  module output %.0f msg/s, cloud %.0f msg/s, p50 %.1f ms, p99 %.1f ms,"
                + " gateway CPU %.0f%% (%.0f us/msg)%n", r.outputRate(), r.cloudRate(), r.p50(), r.p99(),
                r.cpuPercent(), r.cpuMicrosPerMessage());
        return r;
    }

    private static void report(List<Result> results) {
        System.out.println();
        System.out.println("1 KB messages: load generator -> module input -> transform -> output (stored) -> $upstream");
        System.out.printf(Locale.ROOT, "%-16s %-8s %14s %12s %9s %9s %7s %8s%n", "module", "offered", "output msg/s",
                "cloud msg/s", "p50 ms", "p99 ms", "CPU %", "us/msg");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-16s %-8s %14.0f %12.0f %9.1f %9.1f %7.0f %8.0f%n", r.module(),
                    r.rate() == 0 ? "max" : Integer.toString(r.rate()), r.outputRate(), r.cloudRate(), r.p50(),
                    r.p99(), r.cpuPercent(), r.cpuMicrosPerMessage());
        }
        System.out.println();
        Result camelBest = sustained(results, "camel-transform");
        Result javaBest = sustained(results, "java-transform");
        for (Result best : new Result[] {camelBest, javaBest}) {
            if (best != null) {
                System.out.printf(Locale.ROOT, "%s: highest rate carried in full (>= 97%%, p99 <= 500 ms): %d msg/s%n",
                        best.module(), best.rate());
            }
        }
        if (camelBest != null && javaBest != null) {
            System.out.printf(Locale.ROOT, "sustained: route module / bundle module = %.2f%n",
                    (double) camelBest.rate() / javaBest.rate());
        }
        for (Result camel : results) {
            if (!camel.module().equals("camel-transform")) {
                continue;
            }
            for (Result java : results) {
                if (java.module().equals("java-transform") && java.rate() == camel.rate()) {
                    System.out.printf(Locale.ROOT, "at %s: route module / bundle module throughput = %.2f%n",
                            camel.rate() == 0 ? "max" : camel.rate() + " msg/s", camel.outputRate()
                                    / java.outputRate());
                }
            }
        }
    }

    /** @return the result at the highest paced rate the module carried in full with bounded latency, or null */
    static Result sustained(List<Result> results, String module) {
        return results.stream().filter(r -> r.module().equals(module) && r.rate() > 0
                && r.outputRate() >= 0.97 * r.rate() && r.cloudRate() >= 0.97 * r.rate() && r.p99() <= 500)
                .max(java.util.Comparator.comparingInt(Result::rate)).orElse(null);
    }

    /**
     * Writes the bundle of module {@code java-transform}: {@link JavaTransform} and a component description that makes
     * it the AsyncInputHandler of input {@code in} with the module's ModuleClient in its field.
     */
    static void writeJavaModule(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "outpost.bench.java-transform");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Outpost-Module", "java-transform");
        a.putValue("Import-Package", "org.outpost.api.message,org.outpost.api.module");
        a.putValue("Service-Component", "OSGI-INF/java-transform.xml");
        String clazz = JavaTransform.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out,
                manifest)) {
            jarOut.putNextEntry(new JarEntry("OSGI-INF/java-transform.xml"));
            jarOut.write(("""
                    <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.4.0" name="java-transform" immediate="true">
                      <implementation class="%s"/>
                      <service><provide interface="org.outpost.api.module.AsyncInputHandler"/></service>
                      <property name="outpost.module.input" type="String" value="in"/>
                      <reference name="client" interface="org.outpost.api.module.ModuleClient" field="client"/>
                    </scr:component>
                    """.formatted(JavaTransform.class.getName())).getBytes(StandardCharsets.UTF_8));
            jarOut.putNextEntry(new JarEntry(clazz));
            try (InputStream in = JavaTransform.class.getClassLoader().getResourceAsStream(clazz)) {
                in.transferTo(jarOut);
            }
        }
    }
}
