/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * A processor that scores each reading ({@link ReadingExtractor}'s headers) against what its key saw before, then
 * learns it. An anomalous reading ({@code |score| >= threshold}, after {@code minCount} readings of its key) becomes an
 * alert, a new message for the route's next step (such as {@code to: outpost:output/alerts}):
 * <pre>{"key": "m1", "value": 93.1, "score": 7.9, "mean": 20.2, "stddev": 9.2, "detector": "zscore",
 *  "threshold": 3.0, "time": "2026-01-01T00:00:01.230Z"}</pre>
 * with the headers {@code OutpostAnalyticsKey} and {@code MessageType=Alert} only. Other readings stop there (the
 * exchange completes). When the baseline has no spread (stddev 0), a different value is an anomaly with
 * {@code "score": null}.
 * <p>
 * As a processor, a reading is learnt when its exchange completes (the alert stored, or the reading dropped), not when
 * it is scored: a reading whose exchange fails is delivered again and scored against the same baseline, not one that
 * already holds it. The detector keeps the state of at most {@code maxKeys} keys (default 10,000); past that, the key
 * seen least recently is forgotten and learns again from its next reading.
 *
 * @param <S> the per-key state
 */
public abstract class AnomalyDetector<S> implements Processor {

    private double threshold = 3.0;
    private int minCount = 10;
    private volatile int maxKeys = 10_000;
    /** Per-key state, least recently used first; guarded by itself. */
    private final Map<String, S> states = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
            return size() > maxKeys;
        }
    };
    private final AtomicLong alerts = new AtomicLong();

    /** @param threshold the |score| from which a reading is an anomaly (default 3) */
    public void setThreshold(double threshold) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " threshold=" + threshold
                    + ": must be above 0");
        }
        this.threshold = threshold;
    }

    /** @param minCount readings of a key to learn from before any of its readings can be an anomaly (default 10) */
    public void setMinCount(int minCount) {
        if (minCount < 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " minCount=" + minCount
                    + ": must be 2 or more");
        }
        this.minCount = minCount;
    }

    /** @param maxKeys the most keys whose state is kept (default 10,000); the least recently seen goes first */
    public void setMaxKeys(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " maxKeys=" + maxKeys
                    + ": must be 1 or more");
        }
        this.maxKeys = maxKeys;
    }

    public int getMaxKeys() {
        return maxKeys;
    }

    /** @return the number of keys whose state is kept */
    public int keyCount() {
        synchronized (states) {
            return states.size();
        }
    }

    public double getThreshold() {
        return threshold;
    }

    public int getMinCount() {
        return minCount;
    }

    /** @return the number of alerts made */
    public long alertCount() {
        return alerts.get();
    }

    /** The baseline a reading is scored against: what its key saw before it. */
    protected record Baseline(long count, double mean, double stddev) {
    }

    /** @return a new per-key state */
    protected abstract S newState();

    /** @return the state's baseline (before the reading is learnt) */
    protected abstract Baseline baseline(S state);

    /** Learns a reading. */
    protected abstract void learn(S state, double value);

    /** @return the detector's name in alerts */
    protected abstract String name();

    /**
     * Scores one reading of {@code key} and learns it.
     *
     * @return the alert, or null if the reading is not an anomaly
     */
    public ObjectNode score(String key, double value, long time) {
        S state = state(key);
        Baseline b;
        synchronized (state) {
            b = baseline(state);
            learn(state, value);
        }
        return alert(key, value, time, b);
    }

    private S state(String key) {
        synchronized (states) {
            return states.computeIfAbsent(key, k -> newState());
        }
    }

    /** @return the alert for a reading against baseline {@code b}, or null if it is not an anomaly */
    private ObjectNode alert(String key, double value, long time, Baseline b) {
        if (b.count() < minCount) {
            return null;
        }
        Double score;
        if (b.stddev() > 0) {
            score = (value - b.mean()) / b.stddev();
            if (Math.abs(score) < threshold) {
                return null;
            }
        } else if (value == b.mean()) {
            return null;
        } else {
            score = null;
        }
        alerts.incrementAndGet();
        ObjectNode alert = ReadingExtractor.JSON.createObjectNode();
        alert.put("key", key);
        alert.put("value", value);
        if (score == null) {
            alert.putNull("score");
        } else {
            alert.put("score", score);
        }
        alert.put("mean", b.mean());
        alert.put("stddev", b.stddev());
        alert.put("detector", name());
        alert.put("threshold", threshold);
        alert.put("time", Instant.ofEpochMilli(time).toString());
        return alert;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Double value = in.getHeader(AnalyticsHeaders.VALUE, Double.class);
        String key = in.getHeader(AnalyticsHeaders.KEY, String.class);
        if (value == null || key == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " got an exchange without the headers "
                    + AnalyticsHeaders.KEY + " and " + AnalyticsHeaders.VALUE + " (route " + exchange.getFromRouteId()
                    + "): put a ReadingExtractor (process: ref) before it");
        }
        Long time = in.getHeader(AnalyticsHeaders.TIME, Long.class);
        S state = state(key);
        Baseline b;
        synchronized (state) {
            b = baseline(state);
        }
        ObjectNode alert = alert(key, value, time == null ? exchange.getClock().getCreated() : time, b);
        // Learnt once the exchange completed: a failed one (the alert not stored) comes again, against this baseline.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange completed) {
                synchronized (state) {
                    learn(state, value);
                }
            }
        });
        if (alert == null) {
            exchange.setRouteStop(true);
            return;
        }
        in.getHeaders().clear();
        in.setHeader(AnalyticsHeaders.KEY, key);
        in.setHeader(AnalyticsHeaders.MESSAGE_TYPE, AnalyticsHeaders.ALERT);
        in.setBody(alert.toString());
    }
}
