/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload API's log of refused requests: each says the module and why, at most once a period per module and
 * status, with how many like it were not logged since. A module's own mistakes are INFO; a module asking as another
 * one is WARN. Messages never hold keys, digests or the data signed.
 */
final class WorkloadRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadService.class);

    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long startNanos, int suppressed) {
    }

    WorkloadRefusals(Duration period) {
        this(period, System::nanoTime);
    }

    WorkloadRefusals(Duration period, LongSupplier nanoTime) {
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Logs the refusal unless one of the same module and status was logged within the period.
     *
     * @return whether it was logged
     */
    boolean refused(String module, int status, String message) {
        long now = nanoTime.getAsLong();
        int[] suppressed = {-1};
        windows.compute(module + " " + status, (key, w) -> {
            if (w == null || now - w.startNanos() >= periodNanos) {
                suppressed[0] = w == null ? 0 : w.suppressed();
                return new Window(now, 0);
            }
            return new Window(w.startNanos(), w.suppressed() + 1);
        });
        if (suppressed[0] < 0) {
            return false;
        }
        String more = suppressed[0] == 0 ? "" : " (" + suppressed[0] + " more refusals like it since the last one"
                + " logged)";
        if (status == 403) {
            LOG.warn("Workload API: refused module {}: {} {}{}", module, status, message, more);
        } else {
            LOG.info("Workload API: refused module {}: {} {}{}", module, status, message, more);
        }
        return true;
    }

    /** Forgets a module's windows, when its socket is closed. */
    void forget(String module) {
        windows.keySet().removeIf(key -> key.startsWith(module + " "));
    }
}
