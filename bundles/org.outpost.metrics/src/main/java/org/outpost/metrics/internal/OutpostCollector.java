/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.outpost.api.metrics.MetricSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/**
 * The {@link Registry}'s metrics as Prometheus snapshots: one family per name with its {@code # HELP} from the
 * {@link Catalogue}, and on every sample the labels every edgeHub metric carries ({@code iothub}, {@code edge_device},
 * {@code instance_number}) where they are known.
 */
final class OutpostCollector implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(OutpostCollector.class);

    private final java.util.Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Registry registry;
    private final Catalogue catalogue;
    private final Supplier<Map<String, String>> constantLabels;

    OutpostCollector(Registry registry, Catalogue catalogue, Supplier<Map<String, String>> constantLabels) {
        this.registry = registry;
        this.catalogue = catalogue;
        this.constantLabels = constantLabels;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(n -> true);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> names) {
        Map<String, String> constant = constantLabels.get();
        Map<String, List<MetricSample>> byName = new LinkedHashMap<>();
        for (MetricSample s : registry.samples()) {
            if (names == null || names.test(s.name())) {
                byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        byName.forEach((name, samples) -> {
            try {
                out.add(family(name, samples, constant));
            } catch (RuntimeException e) {
                // One metric the client refuses (a reserved name, a bad label) must not take the scrape down.
                if (refused.add(name)) {
                    LOG.warn("Metric {} is left out of /metrics: {}", name, e.getMessage());
                }
            }
        });
        return new MetricSnapshots(out);
    }

    private MetricSnapshot family(String name, List<MetricSample> samples, Map<String, String> constant) {
        MetricMetadata meta = new MetricMetadata(name, catalogue.help(name));
        switch (samples.get(0).type()) {
            case "counter" -> {
                List<CounterDataPointSnapshot> points = new ArrayList<>();
                samples.forEach(s -> points.add(new CounterDataPointSnapshot(s.value(), labels(s, constant), null,
                        0)));
                return new CounterSnapshot(meta, points);
            }
            case "summary" -> {
                List<SummaryDataPointSnapshot> points = new ArrayList<>();
                for (MetricSample s : samples) {
                    List<Quantile> q = new ArrayList<>();
                    s.quantiles().forEach((k, v) -> q.add(new Quantile(Double.parseDouble(k), v)));
                    points.add(new SummaryDataPointSnapshot((long) s.value(), s.sumSeconds(), Quantiles.of(q),
                            labels(s, constant), Exemplars.EMPTY, 0));
                }
                return new SummarySnapshot(meta, points);
            }
            default -> {
                List<GaugeDataPointSnapshot> points = new ArrayList<>();
                samples.forEach(s -> points.add(new GaugeDataPointSnapshot(s.value(), labels(s, constant), null)));
                return new GaugeSnapshot(meta, points);
            }
        }
    }

    /** The sample's labels, then the constant ones it does not have itself. */
    private static Labels labels(MetricSample s, Map<String, String> constant) {
        Labels.Builder b = Labels.builder();
        s.labels().forEach(b::label);
        constant.forEach((k, v) -> {
            if (!s.labels().containsKey(k)) {
                b.label(k, v);
            }
        });
        return b.build();
    }
}
