/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

/**
 * Z-score anomaly detection per key over a rolling window of the last {@code windowSize} readings (default 100):
 * score = (value - mean) / stddev of the window before the reading ({@link RollingStats}). See
 * {@link AnomalyDetector} for the alert and the other properties.
 */
public class ZScoreDetector extends AnomalyDetector<RollingStats> {

    private int windowSize = 100;

    /** @param windowSize how many of a key's latest readings make its baseline (at least 2) */
    public void setWindowSize(int windowSize) {
        if (windowSize < 2) {
            throw new IllegalArgumentException("ZScoreDetector windowSize=" + windowSize + ": must be 2 or more");
        }
        this.windowSize = windowSize;
    }

    @Override
    protected RollingStats newState() {
        return new RollingStats(windowSize);
    }

    @Override
    protected Baseline baseline(RollingStats state) {
        return new Baseline(state.count(), state.mean(), state.stddev());
    }

    @Override
    protected void learn(RollingStats state, double value) {
        state.add(value);
    }

    @Override
    protected String name() {
        return "zscore";
    }
}
