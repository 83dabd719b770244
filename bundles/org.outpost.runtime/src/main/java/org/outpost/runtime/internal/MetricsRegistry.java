/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's metrics, kept in memory since it started. */
@Component(service = Metrics.class)
public final class MetricsRegistry implements Metrics {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRegistry.class);

    private record Key(String name, Map<String, String> labels) {
    }

    private final ConcurrentMap<Key, CounterImpl> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, LatencyHistogram> timers = new ConcurrentHashMap<>();
    private final Set<GaugeSet> gauges = new CopyOnWriteArraySet<>();

    private static final class CounterImpl implements Counter {
        private final LongAdder value = new LongAdder();

        @Override
        public void add(long n) {
            value.add(n);
        }
    }

    private record GaugeSet(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
    }

    @Override
    public Counter counter(String name, String... labels) {
        return counters.computeIfAbsent(key(name, labels), k -> new CounterImpl());
    }

    @Override
    public Timer timer(String name, String... labels) {
        return timers.computeIfAbsent(key(name, labels), k -> new LatencyHistogram());
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        GaugeSet g = new GaugeSet(name, type, values);
        gauges.add(g);
        return () -> gauges.remove(g);
    }

    private static Key key(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + String.join(",", labels));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1] == null ? "" : labels[i + 1]);
        }
        return new Key(name, Map.copyOf(map));
    }

    @Override
    public List<MetricSample> samples() {
        List<MetricSample> out = new ArrayList<>();
        counters.forEach((k, c) -> out.add(new MetricSample(k.name(), k.labels(), "counter", c.value.sum(), 0,
                Map.of())));
        timers.forEach((k, h) -> {
            LatencyHistogram.Snapshot s = h.snapshot();
            out.add(new MetricSample(k.name(), k.labels(), "summary", s.count(), s.sumNanos() / 1e9,
                    Map.of("0.5", s.quantileNanos(0.5) / 1e9, "0.99", s.quantileNanos(0.99) / 1e9,
                            "0.999", s.quantileNanos(0.999) / 1e9)));
        });
        for (GaugeSet g : gauges) {
            try {
                g.values().get().forEach((labels, value) -> out.add(new MetricSample(g.name(), labels, g.type(),
                        value, 0, Map.of())));
            } catch (RuntimeException e) {
                LOG.debug("Gauge {} could not be read: {}", g.name(), e.toString());
            }
        }
        out.sort(Comparator.comparing(MetricSample::name).thenComparing(s -> s.labels().toString()));
        return out;
    }
}
