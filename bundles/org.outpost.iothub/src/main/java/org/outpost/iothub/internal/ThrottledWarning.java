/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A warning that may recur for every client at once (the identity store does not answer): written at most once per
 * period, on monotonic time, with how many more there were since the last one written; the first comes at once.
 */
final class ThrottledWarning {

    private final Consumer<String> log;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private boolean written;
    private long lastWritten;
    private long unwritten;

    /**
     * @param log where a warning is written
     * @param period at most one warning per period
     * @param nanoTime the monotonic clock ({@code System::nanoTime})
     */
    ThrottledWarning(Consumer<String> log, Duration period, LongSupplier nanoTime) {
        this.log = log;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Writes the warning if none was written within the period, else counts it for the next one. */
    void warn(String message) {
        String line;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (written && now - lastWritten < periodNanos) {
                unwritten++;
                return;
            }
            line = unwritten == 0 ? message : message + " (and " + unwritten + " more like it in the last "
                    + Duration.ofNanos(now - lastWritten).toSeconds() + " s)";
            written = true;
            lastWritten = now;
            unwritten = 0;
        }
        log.accept(line);
    }
}
