/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

/**
 * Count, mean, variance, min and max of a stream of values, and the earliest and latest times seen, in one pass and
 * constant memory: Welford's update for each value, Chan et al.'s formula to merge two (the panes of a sliding window).
 * Both keep the sum of squared differences from the mean ({@code m2}) rather than a sum of squares, so that the
 * variance of large values with small spread (1e9 + 0.001 noise) does not cancel out. Not thread-safe.
 */
public final class Stats {

    private long count;
    private double mean;
    private double m2;
    private double min = Double.NaN;
    private double max = Double.NaN;
    private long firstTime = Long.MAX_VALUE;
    private long lastTime = Long.MIN_VALUE;

    /** Adds a value seen at {@code time} (epoch milliseconds). */
    public void add(double value, long time) {
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        min = count == 1 ? value : Math.min(min, value);
        max = count == 1 ? value : Math.max(max, value);
        firstTime = Math.min(firstTime, time);
        lastTime = Math.max(lastTime, time);
    }

    /** Adds everything {@code other} saw (it is left as it was). */
    public void merge(Stats other) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            mean = other.mean;
            m2 = other.m2;
            min = other.min;
            max = other.max;
            firstTime = other.firstTime;
            lastTime = other.lastTime;
            return;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        // The weighted mean, written so that equal means stay exactly equal.
        mean = mean + delta * ((double) other.count / n);
        m2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
        count = n;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        firstTime = Math.min(firstTime, other.firstTime);
        lastTime = Math.max(lastTime, other.lastTime);
    }

    /** @return a copy that changes independently */
    public Stats copy() {
        Stats s = new Stats();
        s.merge(this);
        return s;
    }

    public long count() {
        return count;
    }

    /** @return the mean, NaN if no value was added */
    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** @return the population variance (divided by n), NaN if no value was added */
    public double variance() {
        return count == 0 ? Double.NaN : Math.max(0, m2 / count);
    }

    /** @return the population standard deviation, NaN if no value was added */
    public double stddev() {
        return Math.sqrt(variance());
    }

    /** @return the sample variance (divided by n - 1), NaN for fewer than two values */
    public double sampleVariance() {
        return count < 2 ? Double.NaN : Math.max(0, m2 / (count - 1));
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** @return the earliest time added (epoch milliseconds), {@link Long#MAX_VALUE} if none */
    public long firstTime() {
        return firstTime;
    }

    /** @return the latest time added (epoch milliseconds), {@link Long#MIN_VALUE} if none */
    public long lastTime() {
        return lastTime;
    }

    @Override
    public String toString() {
        return "Stats[count=" + count + ", mean=" + mean() + ", stddev=" + stddev() + ", min=" + min + ", max=" + max
                + "]";
    }
}
