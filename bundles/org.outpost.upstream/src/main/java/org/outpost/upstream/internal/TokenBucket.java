/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Taking more than the burst at once is
 * allowed when the bucket is full (a batch bigger than the burst still goes, and the bucket owes the rest). Not
 * thread-safe: the drain thread owns it. A rate of 0 means no limit.
 */
final class TokenBucket {

    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    /**
     * @param rate tokens a second, 0 for no limit
     * @param burst most tokens saved up (at least 1)
     * @param now the time now, in nanoseconds
     */
    TokenBucket(double rate, double burst, long now) {
        this.rate = rate;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = now;
    }

    boolean unlimited() {
        return rate <= 0;
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * rate / 1e9);
            last = now;
        }
    }

    /** @return whether {@code n} tokens may be taken now */
    boolean canTake(double n, long now) {
        if (unlimited()) {
            return true;
        }
        refill(now);
        return tokens >= Math.min(n, burst);
    }

    /** Takes {@code n} tokens (after {@link #canTake}); the bucket may go below 0 for a take bigger than the burst. */
    void take(double n, long now) {
        if (!unlimited()) {
            refill(now);
            tokens -= n;
        }
    }

    /** @return nanoseconds until {@code n} tokens may be taken, 0 if now */
    long waitNanos(double n, long now) {
        if (unlimited()) {
            return 0;
        }
        refill(now);
        double missing = Math.min(n, burst) - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing / rate * 1e9);
    }

    double rate() {
        return rate;
    }

    double burst() {
        return burst;
    }
}
