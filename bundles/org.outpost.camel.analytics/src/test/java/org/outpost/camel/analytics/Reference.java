/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** Reference computations for the tests: exact (BigDecimal) mean and population variance of a list of values. */
final class Reference {

    private static final MathContext MC = MathContext.DECIMAL128;

    private Reference() {
    }

    static double mean(List<Double> values) {
        return exactMean(values).doubleValue();
    }

    private static BigDecimal exactMean(List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.divide(BigDecimal.valueOf(values.size()), MC);
    }

    /** @return the population variance, computed in decimal arithmetic with two passes */
    static double variance(List<Double> values) {
        BigDecimal mean = exactMean(values);
        BigDecimal squares = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d, MC));
        }
        return squares.divide(BigDecimal.valueOf(values.size()), MC).doubleValue();
    }

    static double stddev(List<Double> values) {
        return Math.sqrt(variance(values));
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
