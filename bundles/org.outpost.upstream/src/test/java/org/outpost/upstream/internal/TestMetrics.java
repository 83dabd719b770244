/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;

/** Metrics that keep each counter's total, by name and labels. */
final class TestMetrics implements Metrics {

    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String... labels) {
        AtomicLong c = counters.computeIfAbsent(name + String.join(",", labels), k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public Timer timer(String name, String... labels) {
        AtomicLong c = counters.computeIfAbsent(name + String.join(",", labels), k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        return () -> { };
    }

    @Override
    public List<MetricSample> samples() {
        return List.of();
    }

    long get(String nameAndLabels) {
        AtomicLong c = counters.get(nameAndLabels);
        return c == null ? 0 : c.get();
    }
}
