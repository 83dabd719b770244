/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;

/**
 * The {@link Metrics} that bundles register through: counters, timers and measured values kept in memory since the
 * start, read by {@link #samples()} (the shell, the uploads to the hub) and by {@link OutpostCollector} (Prometheus).
 * Names are the exposed names (edgeHub's, edgeAgent's, the hub's: see the catalogue), checked when registered.
 */
final class Registry implements Metrics {

    /** The quantiles of every timer: edgeHub's summaries' (P50, P90, P95, P99, P99.9, P99.99). */
    static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999, 0.9999};

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private record Key(String name, Map<String, String> labels) {
    }

    private record Measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
    }

    private static final class CounterCell implements Counter {
        private final LongAdder value = new LongAdder();

        @Override
        public void add(long n) {
            value.add(n);
        }
    }

    private final ConcurrentMap<Key, CounterCell> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, WindowedHistogram> timers = new ConcurrentHashMap<>();
    private final Set<Measured> measured = new CopyOnWriteArraySet<>();
    private final ConcurrentMap<String, String> types = new ConcurrentHashMap<>();
    private final Set<String> conflictsLogged = ConcurrentHashMap.newKeySet();
    private final LongSupplier clock;
    private volatile long windowNanos;

    /**
     * @param windowNanos how far back the timers' quantiles look
     * @param clock monotonic time in nanoseconds ({@code System::nanoTime})
     */
    Registry(long windowNanos, LongSupplier clock) {
        this.windowNanos = windowNanos;
        this.clock = clock;
    }

    /** Applies to the timers created from now on. */
    void windowNanos(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    @Override
    public Counter counter(String name, String... labels) {
        Key key = key(name, "counter", labels);
        return counters.computeIfAbsent(key, k -> new CounterCell());
    }

    @Override
    public Timer timer(String name, String... labels) {
        Key key = key(name, "summary", labels);
        return timers.computeIfAbsent(key, k -> new WindowedHistogram(windowNanos, clock.getAsLong()));
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        if (!"gauge".equals(type) && !"counter".equals(type)) {
            throw new IllegalArgumentException("metric " + name + ": a measured value is a gauge or a counter, not '"
                    + type + "'");
        }
        checkName(name);
        typed(name, type);
        Measured m = new Measured(name, type, values);
        measured.add(m);
        return () -> measured.remove(m);
    }

    private Key key(String name, String type, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("metric " + name + ": labels come in name/value pairs, got "
                    + String.join(",", labels));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            if (!PrometheusNaming.isValidLegacyLabelName(labels[i])) {
                throw new IllegalArgumentException("metric " + name + ": '" + labels[i] + "' is not a valid"
                        + " Prometheus label name (letters, digits and _, not starting with a digit or __)");
            }
            map.put(labels[i], labels[i + 1] == null ? "" : labels[i + 1]);
        }
        String before = types.get(name);
        if (before == null) {
            checkName(name);
            typed(name, type);
        } else if (!before.equals(type)) {
            typed(name, type);
        }
        return new Key(name, Map.copyOf(map));
    }

    private static void checkName(String name) {
        if (name == null || !PrometheusNaming.isValidLegacyMetricName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid Prometheus metric name (letters, digits,"
                    + " _ and :, not starting with a digit); use the names in docs/operations.md");
        }
    }

    /** A name keeps the type it was first registered with: Prometheus has one type per name. */
    private void typed(String name, String type) {
        String before = types.putIfAbsent(name, type);
        if (before != null && !before.equals(type)) {
            throw new IllegalArgumentException("metric " + name + " is a " + before + " already and cannot also be a "
                    + type + ": give it another name");
        }
    }

    @Override
    public List<MetricSample> samples() {
        Map<Key, MetricSample> out = new TreeMap<>(Comparator.comparing(Key::name)
                .thenComparing(k -> new TreeMap<>(k.labels()).toString()));
        counters.forEach((k, c) -> out.put(k, new MetricSample(k.name(), k.labels(), "counter", c.value.sum(), 0,
                Map.of())));
        long now = clock.getAsLong();
        timers.forEach((k, h) -> {
            WindowedHistogram.Snapshot s = h.snapshot(now);
            Map<String, Double> q = new LinkedHashMap<>();
            for (double quantile : QUANTILES) {
                q.put(Double.toString(quantile), s.quantileNanos(quantile) / 1e9);
            }
            out.put(k, new MetricSample(k.name(), k.labels(), "summary", s.count(), s.sumNanos() / 1e9, q));
        });
        for (Measured m : measured) {
            Map<Map<String, String>, Double> values;
            try {
                values = m.values().get();
            } catch (RuntimeException e) {
                LOG.debug("Metric {} could not be read: {}", m.name(), e.toString());
                continue;
            }
            values.forEach((labels, value) -> {
                Key k = new Key(m.name(), Map.copyOf(labels));
                MetricSample before = out.get(k);
                if (before == null) {
                    out.put(k, new MetricSample(m.name(), labels, m.type(), value, 0, Map.of()));
                } else if (before.type().equals(m.type()) && !"summary".equals(m.type())) {
                    // The same series counted in two places (e.g. drops by the router and by the broker): one sum.
                    out.put(k, new MetricSample(m.name(), labels, m.type(), before.value() + value, 0, Map.of()));
                } else if (conflictsLogged.add(m.name())) {
                    LOG.warn("Metric {}{} is registered twice with different types; the {} is left out",
                            m.name(), labels, m.type());
                }
            });
        }
        return new ArrayList<>(out.values());
    }
}
