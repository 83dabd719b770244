/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.outpost.api.metrics.Metrics;

/**
 * edgeHub's offline metrics: {@code edgehub_offline_count_total} counts the times the link to the cloud went down
 * (a connect that failed or a connection lost, while it was up or had never been up), and
 * {@code edgehub_offline_duration_seconds} how long each time lasted, recorded when the link is up again. Both are
 * labelled {@code id} with edgeHub's identity, {@code <device>/$edgeHub}. Told by the link's one thread.
 */
final class OfflineTracker {

    private final Metrics metrics;
    private final Supplier<String> deviceId;
    private final LongSupplier clock;
    /** When the link went down (monotonic), or -1 while it is up or not yet known. */
    private long offlineSince = -1;

    OfflineTracker(Metrics metrics, Supplier<String> deviceId, LongSupplier clock) {
        this.metrics = metrics;
        this.deviceId = deviceId;
        this.clock = clock;
    }

    /** @param online whether the link is up now (true) or has just failed to connect or been lost (false) */
    synchronized void link(boolean online) {
        long now = clock.getAsLong();
        if (!online && offlineSince < 0) {
            offlineSince = now;
            metrics.counter("edgehub_offline_count_total", "id", id()).increment();
        } else if (online && offlineSince >= 0) {
            metrics.timer("edgehub_offline_duration_seconds", "id", id()).record(now - offlineSince);
            offlineSince = -1;
        }
    }

    private String id() {
        String d = deviceId.get();
        return (d == null ? "" : d) + "/$edgeHub";
    }
}
