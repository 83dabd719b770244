/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

/**
 * Mean and population variance of the last {@code size} values: Welford's update for the value coming in and its
 * inverse for the value falling out, with the sums recomputed from the kept values (two-pass) every {@code size}
 * removals so that rounding cannot pile up over a long run. Not thread-safe.
 */
public final class RollingStats {

    private final double[] values;
    private int next;
    private int count;
    private double mean;
    private double m2;
    private long sinceExact;

    /** @param size how many of the latest values count */
    public RollingStats(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("A rolling window needs at least 2 values, not " + size);
        }
        this.values = new double[size];
    }

    /** Adds a value; the oldest falls out once the window is full. */
    public void add(double value) {
        if (count == values.length) {
            double old = values[next];
            // Welford in reverse: remove the oldest from the n values, then add the new one.
            double meanWithout = (count * mean - old) / (count - 1);
            m2 -= (old - mean) * (old - meanWithout);
            mean = meanWithout;
            count--;
            if (++sinceExact >= values.length) {
                values[next] = value;
                count++;
                next = (next + 1) % values.length;
                recompute();
                return;
            }
        }
        values[next] = value;
        next = (next + 1) % values.length;
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
    }

    private void recompute() {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        double m = sum / count;
        double squares = 0;
        double compensation = 0;
        for (int i = 0; i < count; i++) {
            double d = values[i] - m;
            squares += d * d;
            compensation += d;
        }
        // The corrected two-pass algorithm: the second term removes the rounding error of the mean.
        mean = m;
        m2 = squares - compensation * compensation / count;
        sinceExact = 0;
    }

    public int count() {
        return count;
    }

    public boolean isFull() {
        return count == values.length;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** @return the population variance of the values in the window */
    public double variance() {
        return count == 0 ? Double.NaN : Math.max(0, m2 / count);
    }

    public double stddev() {
        return Math.sqrt(variance());
    }
}
