/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.outpost.itests.GatewayProcess;

/**
 * Time from {@code edge:deploy} to every changed module running (the deployment service's own measurement: parse,
 * plan, apply, probation, persist), for 1 and for 20 bundle modules, each deployment an update of every module (a
 * new bundle version: uninstall, install, start). Baseline in the same run: the same bundles installed and started,
 * then uninstalled, with plain {@code bundle:install -s} / {@code bundle:uninstall}, as wall time of one shell session
 * against the deployments' wall time in the same kind of session (the shell's own start-up measured and taken out).
 * <p>
 * Run: {@code benchmarks/run -Dbench.main=org.outpost.benchmarks.DeployBenchmark} (after {@code mvn install
 * -DskipTests}); {@code -Dbench.rounds=N} deployments per size (default 20).
 */
public final class DeployBenchmark {

    private static final Pattern MILLIS = Pattern.compile("\"millis\"\\s*:\\s*(\\d+)");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

    private DeployBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 20);
        Path work = Files.createTempDirectory("outpost-deploy-bench");
        try (GatewayProcess gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                work.resolve("gateway"))) {
            Path modules = Files.createDirectories(gateway.home().resolve("modules"));
            for (int i = 0; i < 20; i++) {
                for (int v = 1; v <= 2; v++) {
                    moduleJar(modules.resolve("m" + i + "-" + v + ".jar"), "m" + i, "1.0." + v);
                }
            }
            gateway.start();
            awaitShell(gateway);
            // Baselines first, on a gateway without deployments, so nothing restarts what they remove.
            java.util.Map<Integer, Double> rawWall = new java.util.HashMap<>();
            long t2 = System.nanoTime();
            gateway.shell("echo\n".repeat(rounds));
            double emptyWall = (System.nanoTime() - t2) / 1e6;
            for (int size : new int[] {1, 20}) {
                StringBuilder raw = new StringBuilder();
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < size; i++) {
                        raw.append("bundle:install -s file:").append(modules.resolve("m" + i + "-" + (r % 2 + 1)
                                + ".jar")).append('\n');
                    }
                    raw.append("bundle:uninstall ").append(String.join(" ", java.util.stream.IntStream.range(0, size)
                            .mapToObj(i -> "bench.m" + i).toList())).append('\n');
                }
                long t1 = System.nanoTime();
                gateway.shell(raw.toString());
                rawWall.put(size, (System.nanoTime() - t1) / 1e6);
            }
            for (int size : new int[] {1, 20}) {
                Path[] manifests = {manifest(work, modules, size, 1), manifest(work, modules, size, 2)};
                StringBuilder script = new StringBuilder();
                for (int r = 0; r < rounds; r++) {
                    script.append("edge:deploy --json ").append(manifests[r % 2]).append('\n');
                }
                long t0 = System.nanoTime();
                String out = gateway.shell(script.toString());
                double deployWall = (System.nanoTime() - t0) / 1e6;
                List<Long> millis = new ArrayList<>();
                Matcher m = MILLIS.matcher(out);
                while (m.find()) {
                    millis.add(Long.parseLong(m.group(1)));
                }
                Matcher c = CODE.matcher(out);
                while (c.find()) {
                    if (!c.group(1).equals("200")) {
                        throw new IllegalStateException("a deployment failed: " + out);
                    }
                }
                long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "%2d module(s), %d deployments (each an update of every module): p50 %d"
                        + " ms, p95 %d ms, max %d ms (service's clock)%n", size, sorted.length,
                        percentile(sorted, 0.5), percentile(sorted, 0.95), sorted[sorted.length - 1]);
                double d = deployWall - emptyWall;
                double b = rawWall.get(size) - emptyWall;
                System.out.printf(Locale.ROOT, "   shell session wall time: deployments %.0f ms, raw install -s and"
                        + " uninstall of the same bundles %.0f ms, empty session %.0f ms -> deployment / raw = %s%n",
                        deployWall, rawWall.get(size), emptyWall, d > 0 && b > 0 ? String.format(Locale.ROOT, "%.2f",
                                d / b) : "n/a (within the session's own variation)");
            }
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** A module bundle with nothing in it but its manifest: what a deployment moves is the bundle, not its code. */
    private static void moduleJar(Path jar, String module, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "bench." + module);
        a.putValue("Bundle-Version", version);
        a.putValue("Outpost-Module", module);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
    }

    private static Path manifest(Path work, Path modules, int size, int version) throws IOException {
        StringBuilder m = new StringBuilder("{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {"
                + "\"schemaVersion\": \"1.1\", \"modules\": {");
        for (int i = 0; i < size; i++) {
            m.append(i == 0 ? "" : ", ").append("\"m").append(i).append("\": {\"type\": \"bundle\", \"version\": \"")
                    .append(version).append("\", \"settings\": {\"location\": \"")
                    .append(modules.resolve("m" + i + "-" + version + ".jar").toUri()).append("\"}}");
        }
        Path file = work.resolve("deploy-" + size + "-" + version + ".json");
        Files.writeString(file, m.append("}}}}}").toString());
        return file;
    }

    private static void awaitShell(GatewayProcess gateway) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (gateway.shell("edge:status\n").contains("Last deployment")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the gateway shell did not answer within 120 s");
    }
}
