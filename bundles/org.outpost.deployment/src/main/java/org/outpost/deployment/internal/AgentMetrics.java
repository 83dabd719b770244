/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;

/**
 * The deployment's metrics, named and labelled as IoT Edge's edgeAgent's: {@code edgeAgent_module_start_total} and
 * {@code edgeAgent_module_stop_total} ({@code module_name}, {@code module_version}; a restart counts as a stop and a
 * start), {@code edgeAgent_command_latency_seconds} ({@code command}: create, remove, start, stop, restart),
 * {@code edgeAgent_deployment_time_seconds} (an applied deployment, from its arrival to its end),
 * {@code edgeAgent_total_time_expected_running_seconds} and {@code edgeAgent_total_time_running_correctly_seconds}
 * ({@code module_name}: time a module was to run, and time it ran, since the gateway started), and
 * {@code edgeAgent_total_disk_space_bytes} / {@code edgeAgent_available_disk_space_bytes} of the disks of the gateway's
 * data and home ({@code disk_name}, {@code disk_filesystem}, {@code disk_filetype}). The modules' CPU and memory are
 * the runtime's ({@code ModuleResources}).
 */
final class AgentMetrics implements AutoCloseable {

    private final Metrics metrics;
    private final Map<String, Metrics.Timer> commands = new ConcurrentHashMap<>();
    private final Metrics.Timer deploymentTime;
    private final List<AutoCloseable> registered = new ArrayList<>();
    /** Per module: seconds expected to run, seconds running. Written by the supervisor's thread only. */
    private final Map<String, double[]> availability = new ConcurrentHashMap<>();
    private long lastTick = -1;

    /**
     * @param disks paths whose disks are reported (the gateway's data and home); one line per disk
     */
    AgentMetrics(Metrics metrics, Collection<Path> disks) {
        this.metrics = metrics;
        this.deploymentTime = metrics.timer("edgeAgent_deployment_time_seconds");
        registered.add(metrics.measured("edgeAgent_total_time_expected_running_seconds", "gauge",
                () -> perModule(v -> v[0])));
        registered.add(metrics.measured("edgeAgent_total_time_running_correctly_seconds", "gauge",
                () -> perModule(v -> v[1])));
        List<Path> paths = List.copyOf(disks);
        registered.add(metrics.measured("edgeAgent_total_disk_space_bytes", "gauge",
                () -> disks(paths, store -> store.getTotalSpace())));
        registered.add(metrics.measured("edgeAgent_available_disk_space_bytes", "gauge",
                () -> disks(paths, store -> store.getUsableSpace())));
    }

    /** @return metrics that go nowhere (tests of the parts that count) */
    static AgentMetrics none() {
        return new AgentMetrics(new Metrics() {
            @Override
            public Counter counter(String name, String... labels) {
                return n -> {
                };
            }

            @Override
            public Timer timer(String name, String... labels) {
                return n -> {
                };
            }

            @Override
            public AutoCloseable measured(String name, String type,
                    java.util.function.Supplier<Map<Map<String, String>, Double>> values) {
                return () -> {
                };
            }

            @Override
            public List<MetricSample> samples() {
                return List.of();
            }
        }, List.of());
    }

    void started(ModuleSpec spec) {
        metrics.counter("edgeAgent_module_start_total", "module_name", spec.name(), "module_version",
                version(spec)).increment();
    }

    void stopped(ModuleSpec spec) {
        metrics.counter("edgeAgent_module_stop_total", "module_name", spec.name(), "module_version",
                version(spec)).increment();
    }

    private static String version(ModuleSpec spec) {
        return spec.version() == null ? "" : spec.version();
    }

    /** @return the timer of a command: {@code create}, {@code remove}, {@code start}, {@code stop}, {@code restart} */
    Metrics.Timer command(String command) {
        return commands.computeIfAbsent(command, c -> metrics.timer("edgeAgent_command_latency_seconds", "command",
                c));
    }

    /** A deployment was applied in {@code nanos}. */
    void deployed(long nanos) {
        deploymentTime.record(nanos);
    }

    /**
     * Adds the time since the last call to each deployed module that is to run, and to those of them that run; at most
     * once a second (the supervisor calls every half second), so the state is assumed for up to a second.
     *
     * @param state the module's state now, or null if unknown
     */
    void availability(Collection<ModuleSpec> deployed, Function<ModuleSpec, ModuleInfo> state, long nowNanos) {
        if (lastTick >= 0 && nowNanos - lastTick < 1_000_000_000L) {
            return;
        }
        double seconds = lastTick < 0 ? 0 : (nowNanos - lastTick) / 1e9;
        lastTick = nowNanos;
        for (ModuleSpec spec : deployed) {
            if (spec.status() != DesiredStatus.RUNNING) {
                continue;
            }
            double[] v = availability.computeIfAbsent(spec.name(), n -> new double[2]);
            ModuleInfo info = state.apply(spec);
            v[0] += seconds;
            if (info != null && info.state() == ModuleState.RUNNING) {
                v[1] += seconds;
            }
        }
    }

    private Map<Map<String, String>, Double> perModule(Function<double[], Double> value) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        availability.forEach((m, v) -> out.put(Map.of("module_name", m), value.apply(v)));
        return out;
    }

    private interface Space {
        long of(FileStore store) throws IOException;
    }

    private static Map<Map<String, String>, Double> disks(List<Path> paths, Space space) {
        Map<Map<String, String>, Double> out = new HashMap<>();
        for (Path p : paths) {
            try {
                FileStore store = Files.getFileStore(p);
                out.put(Map.of("disk_name", store.name(), "disk_filesystem", store.type(), "disk_filetype",
                        "Unknown"), (double) space.of(store));
            } catch (IOException | RuntimeException e) {
                // Not there (yet): no line for it.
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (AutoCloseable c : registered) {
            try {
                c.close();
            } catch (Exception e) {
                // The registry went first.
            }
        }
    }
}
