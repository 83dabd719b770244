/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The metric registry of the gateway or the hub (the {@code org.outpost.metrics} bundle provides it on a Prometheus
 * registry, served on {@code /metrics}). Names are the exposed Prometheus names, IoT Edge's where they mean the same
 * ({@code edgehub_*}, {@code edgeAgent_*}); a name keeps the type it was first registered with. Get a handle once and
 * keep it: handles are cheap to update from any thread.
 *
 * <pre>{@code
 * Metrics.Counter received = metrics.counter("edgehub_messages_received_total", "id", "sensor");
 * received.increment();
 * }</pre>
 */
@ProviderType
public interface Metrics {

    /** A monotonically increasing count. */
    interface Counter {
        void add(long n);

        default void increment() {
            add(1);
        }
    }

    /** A distribution of durations. */
    interface Timer {
        void record(long nanos);
    }

    /**
     * @param name the metric name, e.g. {@code edgehub_messages_sent_total}
     * @param labels label names and values, alternating: {@code "from", "sensor", "to", "upstream"}
     * @return the counter for that name and labels, created at zero on first use
     */
    Counter counter(String name, String... labels);

    /** @return the timer for that name and labels, created empty on first use */
    Timer timer(String name, String... labels);

    /**
     * Registers values that are read from elsewhere when the metrics are read, such as queue lengths (a gauge) or the
     * broker's count of expired messages (a counter).
     *
     * @param name the metric name
     * @param type {@code gauge} or {@code counter}
     * @param values gives, when called, the current value for each set of labels
     * @return call {@link AutoCloseable#close()} to remove them
     */
    AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values);

    /** @return every metric's current value, sorted by name and labels */
    List<MetricSample> samples();
}
