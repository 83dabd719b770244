/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;

class MeasuredTwinsTest {

    /** Counts and timers kept as how often they were used, by name and labels as written. */
    private static final class Counts implements Metrics {
        final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

        @Override
        public Counter counter(String name, String... labels) {
            AtomicLong n = used.computeIfAbsent(name + List.of(labels), k -> new AtomicLong());
            return n::addAndGet;
        }

        @Override
        public Timer timer(String name, String... labels) {
            AtomicLong n = used.computeIfAbsent(name + List.of(labels), k -> new AtomicLong());
            return nanos -> n.incrementAndGet();
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

    private final TwinService twins = new TwinService() {
        @Override
        public TwinDocument twin(Identity identity) {
            return TwinDocument.empty();
        }

        @Override
        public TwinDocument patchReported(Identity identity, String patchJson) {
            throw new TwinException("reported", "too deep");
        }

        @Override
        public Subscription onDesiredPatch(DesiredPatchListener listener) {
            return () -> { };
        }
    };

    @Test
    void twinReadsAndReportedPatchesAreCountedAndTimedAsEdgeHubDoes() {
        Counts metrics = new Counts();
        MeasuredTwins measured = new MeasuredTwins(twins, () -> "gw");
        measured.twin(Identity.module("gw", "filter"));
        measured.metrics(metrics);
        measured.twin(Identity.module("gw", "filter"));
        measured.twin(new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null));
        assertThatThrownBy(() -> measured.patchReported(Identity.module("gw", "filter"), "{}"))
                .isInstanceOf(TwinException.class);

        assertThat(metrics.used).containsOnlyKeys("edgehub_gettwin_total[source, edge, id, gw/filter]",
                "edgehub_gettwin_duration_seconds[source, edge, id, gw/filter]",
                "edgehub_gettwin_total[source, upstream, id, leaf]",
                "edgehub_gettwin_duration_seconds[source, upstream, id, leaf]",
                "edgehub_reported_properties_total[target, edge, id, gw/filter]",
                "edgehub_reported_properties_update_duration_seconds[target, edge, id, gw/filter]");
        assertThat(metrics.used.get("edgehub_gettwin_total[source, edge, id, gw/filter]")).hasValue(1);
    }
}
