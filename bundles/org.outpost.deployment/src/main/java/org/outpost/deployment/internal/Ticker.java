/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Duration;

/**
 * Time for intervals (back-off, probation, health probe periods): monotonic nanoseconds, which no change of the wall
 * clock moves (an NTP step, an operator's {@code date -s}). Only differences between two readings mean anything, so
 * they are compared as {@code now - then >= d}, never as absolute values. Wall time ({@link java.time.Clock}) is
 * kept for what people read (timestamps in the status).
 */
@FunctionalInterface
interface Ticker {

    /** The JVM's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** @return nanoseconds since some fixed but arbitrary origin */
    long nanos();

    /** @return whether at least {@code d} has passed from {@code then} to {@code now} (readings of this ticker) */
    static boolean elapsed(long then, long now, Duration d) {
        return now - then >= d.toNanos();
    }
}
