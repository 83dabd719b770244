/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;

/** A {@link Metrics} that keeps what is registered through {@link #measured}, to read it by name. */
final class RecordingMetrics implements Metrics {

    final Map<String, Supplier<Map<Map<String, String>, Double>>> measured = new ConcurrentHashMap<>();
    final Map<String, String> types = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String... labels) {
        return n -> {
        };
    }

    @Override
    public Timer timer(String name, String... labels) {
        return nanos -> {
        };
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        measured.put(name, values);
        types.put(name, type);
        return () -> measured.remove(name);
    }

    @Override
    public List<MetricSample> samples() {
        return List.of();
    }

    /** @return the value of a measured metric for {@code module_name=module}, or null */
    Double value(String name, String module) {
        Supplier<Map<Map<String, String>, Double>> s = measured.get(name);
        return s == null ? null : s.get().get(Map.of("module_name", module));
    }
}
