/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.outpost.benchmarks.BootBenchmark.Boot;

/** {@link BootBenchmark}'s report: a table (or JSON with {@code -Dbench.json=true}) of boot times and their ratio. */
final class BootReport {

    private BootReport() {
    }

    static void print(List<Boot> results, boolean json) {
        List<Boot> karafWarm = results.stream().filter(b -> b.system().equals("karaf") && !b.first()).toList();
        List<Boot> gatewayWarm = results.stream().filter(b -> b.system().equals("outpost") && !b.first()).toList();
        Boot karafFirst = results.stream().filter(b -> b.system().equals("karaf") && b.first()).findFirst().orElseThrow();
        Boot gatewayFirst = results.stream().filter(b -> b.system().equals("outpost") && b.first()).findFirst()
                .orElseThrow();
        double karafReady = BootBenchmark.median(karafWarm, Boot::readyMillis);
        double gatewayReady = BootBenchmark.median(gatewayWarm, Boot::readyMillis);
        double gatewayShell = BootBenchmark.median(gatewayWarm, Boot::shellMillis);
        Map<String, Double> milestones = milestoneMedians(gatewayWarm);
        if (json) {
            StringBuilder out = new StringBuilder("{");
            out.append(String.format(Locale.ROOT, "\"warmStarts\": %d, ", gatewayWarm.size()));
            out.append("\"karaf\": ").append(stats(karafFirst, karafWarm, Boot::readyMillis)).append(", ");
            out.append("\"outpostReady\": ").append(stats(gatewayFirst, gatewayWarm, Boot::readyMillis)).append(", ");
            out.append("\"outpostShell\": ").append(stats(gatewayFirst, gatewayWarm, Boot::shellMillis)).append(", ");
            out.append(String.format(Locale.ROOT, "\"ratioReady\": %.2f, \"ratioShell\": %.2f, ", gatewayReady
                    / karafReady, gatewayShell / karafReady));
            out.append(String.format(Locale.ROOT, "\"cpuSecondsAtReady\": {\"karaf\": %.1f, \"outpost\": %.1f}, ",
                    BootBenchmark.median(karafWarm, Boot::cpuSeconds),
                    BootBenchmark.median(gatewayWarm, Boot::cpuSeconds)));
            out.append("\"outpostMilestones\": {");
            milestones.forEach((k, v) -> out.append(String.format(Locale.ROOT, "\"%s\": %.0f, ", k, v)));
            if (!milestones.isEmpty()) {
                out.setLength(out.length() - 2);
            }
            System.out.println(out.append("}}"));
            return;
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Boot, ms from bin/karaf server to ready; %d warm starts each, alternating%n",
                gatewayWarm.size());
        System.out.printf(Locale.ROOT, "| %-44s | %11s | %11s | %8s | %8s | %14s |%n", "system (ready =)", "first start",
                "warm median", "warm min", "warm max", "CPU s at ready");
        row("bare Karaf 4.4.10 (SSH banner)", karafFirst, karafWarm, Boot::readyMillis);
        row("outpost (SSH banner)", gatewayFirst, gatewayWarm, Boot::shellMillis);
        row("outpost (sensor's first reading at cloud)", gatewayFirst, gatewayWarm, Boot::readyMillis);
        System.out.printf(Locale.ROOT, "Ratio outpost / bare Karaf, warm medians: ready %.2f, SSH banner %.2f%n",
                gatewayReady / karafReady, gatewayShell / karafReady);
        System.out.println("Outpost warm start milestones (median ms from process start, from data/log/karaf.log):");
        milestones.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-20s %6.0f%n", k, v));
    }

    private static void row(String label, Boot first, List<Boot> warm, ToDoubleFunction<Boot> f) {
        double[] v = warm.stream().mapToDouble(f).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %-44s | %11.0f | %11.0f | %8.0f | %8.0f | %14.1f |%n", label,
                f.applyAsDouble(first), BootBenchmark.median(warm, f), v[0], v[v.length - 1],
                BootBenchmark.median(warm, Boot::cpuSeconds));
    }

    private static String stats(Boot first, List<Boot> warm, ToDoubleFunction<Boot> f) {
        double[] v = warm.stream().mapToDouble(f).sorted().toArray();
        StringBuilder all = new StringBuilder("[");
        warm.forEach(b -> all.append(String.format(Locale.ROOT, "%.0f,", f.applyAsDouble(b))));
        all.setLength(Math.max(1, all.length() - 1));
        return String.format(Locale.ROOT, "{\"first\": %.0f, \"median\": %.0f, \"min\": %.0f, \"max\": %.0f, "
                + "\"warm\": %s]}", f.applyAsDouble(first), BootBenchmark.median(warm, f), v[0], v[v.length - 1], all);
    }

    private static Map<String, Double> milestoneMedians(List<Boot> boots) {
        Set<String> keys = new LinkedHashSet<>();
        boots.forEach(b -> keys.addAll(b.milestones().keySet()));
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String k : keys) {
            List<Boot> with = boots.stream().filter(b -> b.milestones().containsKey(k)).toList();
            medians.put(k, BootBenchmark.median(with, b -> b.milestones().get(k)));
        }
        return medians;
    }
}
