/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;

/** Counters kept in a map, keyed by the name and labels as written: {@code name{label=value,...}}. */
final class FakeMetrics implements Metrics {

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /** @return the value of a counter, 0 if it was never used */
    long count(String name, String... labels) {
        AtomicLong c = counters.get(key(name, labels));
        return c == null ? 0 : c.get();
    }

    private static String key(String name, String... labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            b.append(i == 0 ? "" : ",").append(labels[i]).append('=').append(labels[i + 1]);
        }
        return b.append('}').toString();
    }

    @Override
    public Counter counter(String name, String... labels) {
        AtomicLong c = counters.computeIfAbsent(key(name, labels), k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public Timer timer(String name, String... labels) {
        return nanos -> { };
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        return () -> { };
    }

    @Override
    public List<MetricSample> samples() {
        return List.of();
    }
}
