/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Tumbling window statistics per key, as the aggregate EIP's strategy: correlate by the key
 * ({@code correlationExpression: {header: OutpostAnalyticsKey}}) and complete by time ({@code completionInterval}) or
 * by count ({@code completionSize}); each reading ({@link ReadingExtractor}'s headers) is added to its group's
 * {@link Stats}, and a completed group becomes one summary:
 * <pre>{"key": "m1", "window": "tumbling", "count": 100, "avg": 20.5, "min": 18.0, "max": 23.1, "stddev": 1.2,
 *  "first": "2026-01-01T00:00:00.010Z", "last": "2026-01-01T00:00:00.990Z"}</pre>
 * ({@code stddev} is the population standard deviation; {@code first}/{@code last} the earliest and latest reading
 * times). The summary is a new message: its only headers are {@code OutpostAnalyticsKey} and
 * {@code MessageType=WindowSummary}. A group holds the first reading's exchange and a {@link Stats}, never the readings.
 */
public class WindowStats implements AggregationStrategy {

    /** The exchange property holding a group's statistics while it is open. */
    public static final String STATS_PROPERTY = "OutpostAnalyticsStats";

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Message reading = newExchange.getMessage();
        Double value = reading.getHeader(AnalyticsHeaders.VALUE, Double.class);
        Long time = reading.getHeader(AnalyticsHeaders.TIME, Long.class);
        if (value == null || time == null) {
            throw new IllegalStateException("The window statistics got an exchange without the headers "
                    + AnalyticsHeaders.VALUE + " and " + AnalyticsHeaders.TIME + " (route " + newExchange
                    .getFromRouteId() + "): put a ReadingExtractor (process: ref) before the aggregate");
        }
        Exchange group = oldExchange == null ? newExchange : oldExchange;
        Stats stats = group.getProperty(STATS_PROPERTY, Stats.class);
        if (stats == null) {
            stats = new Stats();
            group.setProperty(STATS_PROPERTY, stats);
        }
        stats.add(value, time);
        return group;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        Stats stats = exchange.getProperty(STATS_PROPERTY, Stats.class);
        exchange.removeProperty(STATS_PROPERTY);
        if (stats == null) {
            return;
        }
        String key = exchange.getMessage().getHeader(AnalyticsHeaders.KEY, String.class);
        ObjectNode summary = summary(key, windowStats(key, stats, exchange), exchange);
        setSummary(exchange, key, summary);
    }

    /**
     * @return the statistics a completed group reports: for tumbling windows, the group's own (a sliding window merges
     *         it with the panes before it)
     */
    protected Stats windowStats(String key, Stats group, Exchange exchange) {
        return group;
    }

    /** @return the summary of {@code stats}: the fields every window reports */
    protected ObjectNode summary(String key, Stats stats, Exchange exchange) {
        ObjectNode json = ReadingExtractor.JSON.createObjectNode();
        json.put("key", key);
        json.put("window", "tumbling");
        putStats(json, stats);
        return json;
    }

    static void putStats(ObjectNode json, Stats stats) {
        json.put("count", stats.count());
        json.put("avg", stats.mean());
        json.put("min", stats.min());
        json.put("max", stats.max());
        json.put("stddev", stats.stddev());
        json.put("first", Instant.ofEpochMilli(stats.firstTime()).toString());
        json.put("last", Instant.ofEpochMilli(stats.lastTime()).toString());
    }

    static void setSummary(Exchange exchange, String key, ObjectNode json) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(AnalyticsHeaders.KEY, key);
        out.setHeader(AnalyticsHeaders.MESSAGE_TYPE, AnalyticsHeaders.SUMMARY);
        out.setBody(json.toString());
    }
}
