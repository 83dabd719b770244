/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.outpost.api.metrics.Metrics;

/**
 * What the bandwidth stage did, for {@code edge:upstream} and the metrics ({@code edgehub_upstream_*}): publishes,
 * messages, payload bytes before and after compression, time held back by the rate limits, the window's state.
 */
final class BandwidthCounters {

    private final AtomicLong publishes = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytesBefore = new AtomicLong();
    private final AtomicLong bytesOnWire = new AtomicLong();
    private final AtomicLong rateWaitNanos = new AtomicLong();
    private volatile String window = "always open";
    private volatile Instant nextOpening;
    private final Metrics.Counter publishesMetric;
    private final Metrics.Counter batchesMetric;
    private final Metrics.Counter messagesMetric;
    private final Metrics.Counter bytesBeforeMetric;
    private final Metrics.Counter bytesOnWireMetric;
    private final Metrics.Timer rateWaitMetric;

    BandwidthCounters(Metrics metrics) {
        publishesMetric = metrics.counter("edgehub_upstream_publishes_total");
        batchesMetric = metrics.counter("edgehub_upstream_batches_total");
        messagesMetric = metrics.counter("edgehub_upstream_published_messages_total");
        bytesBeforeMetric = metrics.counter("edgehub_upstream_payload_bytes_total", "stage", "before_compression");
        bytesOnWireMetric = metrics.counter("edgehub_upstream_payload_bytes_total", "stage", "on_wire");
        rateWaitMetric = metrics.timer("edgehub_upstream_rate_limit_wait_seconds");
    }

    void published(int n, boolean batch, long before, long onWire) {
        publishes.incrementAndGet();
        publishesMetric.increment();
        if (batch) {
            batches.incrementAndGet();
            batchesMetric.increment();
        }
        messages.addAndGet(n);
        messagesMetric.add(n);
        bytesBefore.addAndGet(before);
        bytesBeforeMetric.add(before);
        bytesOnWire.addAndGet(onWire);
        bytesOnWireMetric.add(onWire);
    }

    void waited(long nanos) {
        rateWaitNanos.addAndGet(nanos);
        rateWaitMetric.record(nanos);
    }

    void window(String state, Instant next) {
        window = state;
        nextOpening = next;
    }

    long publishes() {
        return publishes.get();
    }

    long batches() {
        return batches.get();
    }

    long messages() {
        return messages.get();
    }

    long bytesBefore() {
        return bytesBefore.get();
    }

    long bytesOnWire() {
        return bytesOnWire.get();
    }

    long rateWaitMs() {
        return rateWaitNanos.get() / 1_000_000;
    }

    String window() {
        return window;
    }

    boolean windowOpen() {
        return !window.equals("closed");
    }

    Instant nextOpening() {
        return nextOpening;
    }
}
