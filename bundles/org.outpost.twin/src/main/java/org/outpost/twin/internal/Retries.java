/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.outpost.commons.Backoff;

/**
 * When something refused per key (a module) may be tried again: after each failure a back-off of its own ({@link
 * Backoff}, from {@code min} doubling up to {@code max}), on monotonic time; a success forgets the key. Not
 * thread-safe: one worker owns it.
 */
final class Retries {

    private static final class Gate {
        final Backoff backoff;
        long notBeforeNanos;

        Gate(Backoff backoff) {
            this.backoff = backoff;
        }
    }

    private final Duration min;
    private final Duration max;
    private final LongSupplier nanoTime;
    private final Map<String, Gate> gates = new HashMap<>();

    Retries(Duration min, Duration max) {
        this(min, max, System::nanoTime);
    }

    /** With its own clock. */
    Retries(Duration min, Duration max, LongSupplier nanoTime) {
        new Backoff(min, max); // checks them
        this.min = min;
        this.max = max;
        this.nanoTime = nanoTime;
    }

    /** @return whether the key failed and its back-off has not passed yet */
    boolean waiting(String key) {
        Gate g = gates.get(key);
        return g != null && nanoTime.getAsLong() - g.notBeforeNanos < 0;
    }

    /** @return how long the key waits now, in ms */
    long failed(String key) {
        Gate g = gates.computeIfAbsent(key, k -> new Gate(new Backoff(min, max)));
        long delayMs = g.backoff.nextDelayMs();
        g.notBeforeNanos = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        return delayMs;
    }

    /** The key may go at once, and its next failure waits {@code min} again. */
    void succeeded(String key) {
        gates.remove(key);
    }

    /** Every key may go at once. */
    void clear() {
        gates.clear();
    }
}
