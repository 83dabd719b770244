/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.ModuleUsage;

/**
 * The modules' resources as metrics, with IoT Edge's edgeAgent names and its {@code module_name} label where they mean
 * the same: {@code edgeAgent_used_cpu_percent} (share of all cores over the last sampling interval; a gauge here, a
 * summary in IoT Edge), {@code edgeAgent_used_memory_bytes} and {@code edgeAgent_created_pids_total} (processes of a
 * process or container module; a bundle module's threads), {@code edgeAgent_total_memory_bytes}, with
 * {@code module_name="host"} for the host and {@code "edgeAgent"} for the gateway's JVM (edgeAgent, edgeHub and
 * every bundle module in one process), {@code edgeAgent_host_uptime_seconds},
 * {@code edgeAgent_iotedged_uptime_seconds} (the gateway's JVM). Outpost's own:
 * {@code edgeAgent_module_cpu_seconds_total} and, for bundle modules, {@code edgeAgent_module_allocated_bytes_total}.
 * Read from the last sample: a scrape costs a copy.
 */
final class ResourceMetrics {

    static final String HOST = "host";
    static final String GATEWAY = "edgeAgent";

    private ResourceMetrics() {
    }

    static List<AutoCloseable> register(Metrics metrics, Supplier<ModuleAccounting.Sample> sample) {
        List<AutoCloseable> out = new ArrayList<>();
        out.add(metrics.measured("edgeAgent_used_cpu_percent", "gauge", () -> {
            ModuleAccounting.Sample s = sample.get();
            Map<Map<String, String>, Double> v = perModule(s, u -> u.cpuPercent());
            if (s.host() != null && s.host().cpuPercent() >= 0) {
                v.put(module(HOST), s.host().cpuPercent());
            }
            if (s.gatewayCpuPercent() >= 0) {
                v.put(module(GATEWAY), s.gatewayCpuPercent());
            }
            return v;
        }));
        out.add(metrics.measured("edgeAgent_used_memory_bytes", "gauge", () -> {
            ModuleAccounting.Sample s = sample.get();
            Map<Map<String, String>, Double> v = perModule(s, u -> u.memoryBytes() < 0 ? null
                    : (double) u.memoryBytes());
            if (s.host() != null && s.host().usedMemory() >= 0) {
                v.put(module(HOST), (double) s.host().usedMemory());
            }
            if (s.gatewayMemory() >= 0) {
                v.put(module(GATEWAY), (double) s.gatewayMemory());
            }
            return v;
        }));
        out.add(metrics.measured("edgeAgent_total_memory_bytes", "gauge", () -> {
            ModuleAccounting.Sample s = sample.get();
            Map<Map<String, String>, Double> v = new LinkedHashMap<>();
            if (s.host() != null && s.host().totalMemory() >= 0) {
                v.put(module(HOST), (double) s.host().totalMemory());
            }
            return v;
        }));
        out.add(metrics.measured("edgeAgent_created_pids_total", "gauge", () -> perModule(sample.get(),
                u -> (double) u.threads())));
        out.add(metrics.measured("edgeAgent_module_cpu_seconds_total", "counter", () -> perModule(sample.get(),
                ModuleUsage::cpuSeconds)));
        out.add(metrics.measured("edgeAgent_module_allocated_bytes_total", "counter", () -> perModule(sample.get(),
                u -> u.allocatedBytes() < 0 ? null : (double) u.allocatedBytes())));
        out.add(metrics.measured("edgeAgent_host_uptime_seconds", "gauge", () -> {
            ModuleAccounting.Sample s = sample.get();
            return s.host() == null || s.host().uptimeSeconds() < 0 ? Map.of() : Map.of(Map.of(), s.host()
                    .uptimeSeconds());
        }));
        out.add(metrics.measured("edgeAgent_iotedged_uptime_seconds", "gauge", () -> Map.of(Map.of(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)));
        return out;
    }

    private static Map<Map<String, String>, Double> perModule(ModuleAccounting.Sample s,
            Function<ModuleUsage, Double> value) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (ModuleUsage u : s.modules()) {
            Double v = value.apply(u);
            if (v != null) {
                out.put(module(u.module()), v);
            }
        }
        return out;
    }

    private static Map<String, String> module(String name) {
        return Map.of("module_name", name);
    }
}
