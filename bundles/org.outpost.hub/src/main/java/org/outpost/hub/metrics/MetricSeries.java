/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The metric time series the hub keeps: per device, what its gateway uploads (the metrics-collector messages it
 * sends, see {@code docs/operations.md}); and the fleet's own, which the hub samples, under the device id
 * {@value #FLEET}. Raw points are kept for a while, then only their rollups (min, max, mean and last per bucket).
 */
@ProviderType
public interface MetricSeries {

    /** The device id under which the fleet's own series are kept. */
    String FLEET = "$fleet";

    /** A series' values are cumulative (a counter: its rate is what people read) or a level (a gauge). */
    String COUNTER = "counter";
    String GAUGE = "gauge";

    /**
     * One point.
     *
     * @param t its time, epoch milliseconds
     * @param v its value (for rollups: the mean of a gauge, the last value of a counter; for a rate: per second)
     */
    record Point(long t, double v) {
    }

    /**
     * One series.
     *
     * @param name the metric name
     * @param labels its labels
     * @param kind {@value #COUNTER} or {@value #GAUGE}
     * @param lastTime when its newest point was taken, epoch milliseconds
     * @param points its points in the range asked for, oldest first (empty in a listing)
     */
    record Series(String name, Map<String, String> labels, String kind, long lastTime, List<Point> points) {
        public Series {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
            points = List.copyOf(points);
        }
    }

    /** Which points a query reads. */
    enum Resolution {
        /** The raw points if the range is within the raw retention, else the rollups. */
        AUTO,
        /** The points as uploaded (kept for the raw retention only). */
        RAW,
        /** The rollups (one point per bucket). */
        ROLLUP
    }

    /**
     * A query.
     *
     * @param deviceId the device, or {@value #FLEET}
     * @param names metric names or globs ({@code *}, {@code ?}); empty for every series
     * @param from the range's start (inclusive)
     * @param to the range's end (exclusive)
     * @param resolution which points to read
     * @param rate whether counters are given as their rate per second (a counter that went down was reset: its rate
     *            there is its value over the interval)
     * @param maxPoints at most this many points per series: more are merged into equal steps (mean of a gauge, last
     *            of a counter)
     */
    record Query(String deviceId, List<String> names, Instant from, Instant to, Resolution resolution, boolean rate,
            int maxPoints) {
        public Query {
            names = List.copyOf(names);
        }
    }

    /**
     * @param deviceId a device, or {@value #FLEET}
     * @return its series, without points, sorted by name and labels
     */
    List<Series> series(String deviceId);

    /** @return the series the query selects, with their points, sorted by name and labels */
    List<Series> query(Query query);

    /** @return how long raw points are kept */
    java.time.Duration rawRetention();
}
