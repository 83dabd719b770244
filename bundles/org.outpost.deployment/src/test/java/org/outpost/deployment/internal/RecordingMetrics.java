/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;

/** A {@link Metrics} that counts in maps keyed by name and labels ({@code name{a=b,c=d}}), to read them back. */
final class RecordingMetrics implements Metrics {

    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> timed = new ConcurrentHashMap<>();
    final Map<String, Supplier<Map<Map<String, String>, Double>>> measured = new ConcurrentHashMap<>();

    static String key(String name, String... labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
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
        AtomicLong c = timed.computeIfAbsent(key(name, labels), k -> new AtomicLong());
        return nanos -> c.incrementAndGet();
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        measured.put(name, values);
        return () -> measured.remove(name);
    }

    @Override
    public List<MetricSample> samples() {
        return List.of();
    }

    long count(String name, String... labels) {
        AtomicLong c = counters.get(key(name, labels));
        return c == null ? 0 : c.get();
    }

    long timings(String name, String... labels) {
        AtomicLong c = timed.get(key(name, labels));
        return c == null ? 0 : c.get();
    }

    Map<Map<String, String>, Double> values(String name) {
        Supplier<Map<Map<String, String>, Double>> s = measured.get(name);
        return s == null ? Map.of() : s.get();
    }

    @Override
    public String toString() {
        return counters + " " + timed + " " + Arrays.toString(measured.keySet().toArray());
    }
}
