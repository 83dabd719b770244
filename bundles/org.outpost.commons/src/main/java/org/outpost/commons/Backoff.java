/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.time.Duration;

/**
 * Capped exponential back-off for reconnecting: the first delay is {@code min}, each failure doubles it up to
 * {@code max}, and a success starts again from {@code min}. Not thread-safe: one connection's reconnect logic owns it.
 */
public final class Backoff {

    private final long minMs;
    private final long maxMs;
    private long currentMs;

    /**
     * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is shorter than {@code min}
     */
    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < min <= max, not min " + min + ", max " + max);
        }
        this.minMs = min.toMillis();
        this.maxMs = max.toMillis();
    }

    /** @return how long to wait before the next attempt, after a failure */
    public long nextDelayMs() {
        currentMs = currentMs == 0 ? minMs : Math.min(currentMs * 2, maxMs);
        return currentMs;
    }

    /** After a success: the next failure waits {@code min} again. */
    public void reset() {
        currentMs = 0;
    }

    /** @return the delay last returned, or 0 after a reset */
    public long currentDelayMs() {
        return currentMs;
    }
}
