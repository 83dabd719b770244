/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

/**
 * Exponentially weighted anomaly detection per key: the baseline is the exponentially weighted moving mean and
 * variance with weight {@code alpha} (default 0.1) for the newest reading,
 * {@code mean' = mean + alpha * (x - mean)}, {@code var' = (1 - alpha) * (var + alpha * (x - mean)^2)} (the first
 * reading starts the mean with variance 0); score = (value - mean) / sqrt(var) before the reading. See
 * {@link AnomalyDetector} for the alert and the other properties.
 */
public class EwmaDetector extends AnomalyDetector<EwmaDetector.State> {

    /** A key's moving mean and variance. */
    static final class State {
        long count;
        double mean;
        double variance;
    }

    private double alpha = 0.1;

    /** @param alpha the newest reading's weight, in (0, 1] */
    public void setAlpha(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("EwmaDetector alpha=" + alpha + ": must be in (0, 1]");
        }
        this.alpha = alpha;
    }

    @Override
    protected State newState() {
        return new State();
    }

    @Override
    protected Baseline baseline(State state) {
        return new Baseline(state.count, state.count == 0 ? Double.NaN : state.mean, Math.sqrt(state.variance));
    }

    @Override
    protected void learn(State state, double value) {
        if (state.count++ == 0) {
            state.mean = value;
            state.variance = 0;
            return;
        }
        double diff = value - state.mean;
        double increment = alpha * diff;
        state.mean += increment;
        state.variance = (1 - alpha) * (state.variance + diff * increment);
    }

    @Override
    protected String name() {
        return "ewma";
    }
}
