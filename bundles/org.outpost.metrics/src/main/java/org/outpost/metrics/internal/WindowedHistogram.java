/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.outpost.api.metrics.Metrics;

/**
 * A timer: a lock-free histogram of durations from 1 microsecond to about 70 minutes with 16 buckets per power of two,
 * so a quantile is exact to within about 6%, at a few nanoseconds per record (the Prometheus client's own summary
 * costs about 500 ns and takes a lock, too much for the message path).
 * <p>
 * Quantiles cover a sliding window, as edgeHub's summaries do (10 minutes by default): the window is kept in
 * {@value #SLICES} slices, and the oldest slice is emptied each window/{@value #SLICES}. Slices move when the timer is
 * read (a scrape), so a window read after a long pause covers the whole pause; an observation racing with a slice
 * being emptied may be lost from the quantiles. The count and the sum cover everything since the start, as Prometheus
 * requires of {@code _count} and {@code _sum}.
 */
final class WindowedHistogram implements Metrics.Timer {

    static final int SLICES = 5;
    private static final int SUB_BUCKETS = 16;
    private static final int SUB_BITS = 4;
    private static final int POWERS = 33;
    private static final int BUCKETS = POWERS * SUB_BUCKETS;

    private final AtomicLongArray[] slices = new AtomicLongArray[SLICES];
    private final LongAdder sum = new LongAdder();
    private final LongAdder count = new LongAdder();
    private final long sliceNanos;
    private volatile int current;
    private long sliceStart;

    record Snapshot(long count, long sumNanos, long windowCount, long[] counts) {
        /**
         * @return the duration below which the fraction {@code q} of the window's observations lie, in nanoseconds;
         *         NaN when the window is empty
         */
        double quantileNanos(double q) {
            if (windowCount == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(q * windowCount);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return upperBoundMicros(i) * 1000.0;
                }
            }
            return upperBoundMicros(counts.length - 1) * 1000.0;
        }
    }

    /** @param windowNanos how long the quantiles look back */
    WindowedHistogram(long windowNanos, long nowNanos) {
        for (int i = 0; i < SLICES; i++) {
            slices[i] = new AtomicLongArray(BUCKETS);
        }
        this.sliceNanos = Math.max(1, windowNanos / SLICES);
        this.sliceStart = nowNanos;
    }

    @Override
    public void record(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        slices[current].incrementAndGet(index(micros));
        sum.add(Math.max(0, nanos));
        count.increment();
    }

    /** @return the count, sum and the window's buckets, after moving the window to {@code nowNanos} */
    synchronized Snapshot snapshot(long nowNanos) {
        long elapsed = (nowNanos - sliceStart) / sliceNanos;
        for (long i = 0; i < Math.min(elapsed, SLICES); i++) {
            int next = (current + 1) % SLICES;
            AtomicLongArray s = slices[next];
            for (int b = 0; b < BUCKETS; b++) {
                s.set(b, 0);
            }
            current = next;
        }
        if (elapsed > 0) {
            sliceStart += elapsed * sliceNanos;
        }
        long[] c = new long[BUCKETS];
        long n = 0;
        for (AtomicLongArray s : slices) {
            for (int b = 0; b < BUCKETS; b++) {
                long v = s.get(b);
                c[b] += v;
                n += v;
            }
        }
        return new Snapshot(count.sum(), sum.sum(), n, c);
    }

    static int index(long micros) {
        int power = 63 - Long.numberOfLeadingZeros(micros);
        if (power < SUB_BITS) {
            return (int) micros;
        }
        int sub = (int) ((micros >>> (power - SUB_BITS)) & (SUB_BUCKETS - 1));
        int i = (power - SUB_BITS + 1) * SUB_BUCKETS + sub;
        return Math.min(i, BUCKETS - 1);
    }

    /** @return the largest value, in microseconds, that falls into bucket {@code i} */
    static long upperBoundMicros(int i) {
        if (i < SUB_BUCKETS) {
            return i;
        }
        int power = i / SUB_BUCKETS + SUB_BITS - 1;
        int sub = i % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << (power - SUB_BITS)) - 1;
    }
}
