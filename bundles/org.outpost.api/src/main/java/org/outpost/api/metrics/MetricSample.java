/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric's value at the time it was read.
 *
 * @param name the metric name
 * @param labels its labels, in a stable order
 * @param type {@code counter}, {@code gauge} or {@code summary}
 * @param value a counter's or gauge's value; for a summary, the number of observations
 * @param sumSeconds for a summary, the sum of the observed durations in seconds (0 otherwise)
 * @param quantiles for a summary, the 0.5, 0.99 and 0.999 quantiles in seconds (empty otherwise)
 */
public record MetricSample(String name, Map<String, String> labels, String type, double value, double sumSeconds,
        Map<String, Double> quantiles) {

    public MetricSample {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        quantiles = Collections.unmodifiableMap(new TreeMap<>(quantiles));
    }
}
