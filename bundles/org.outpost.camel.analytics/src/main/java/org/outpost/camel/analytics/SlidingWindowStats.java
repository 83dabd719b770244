/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;

/**
 * Sliding window statistics per key, {@code lengthSeconds} long, moving by {@code stepSeconds}: the aggregate EIP
 * correlated by key completes each key's group every step ({@code completionInterval} = the step), and this strategy
 * keeps the last panes (completed groups) of each key and reports their merge ({@link Stats#merge}, exact, no reading
 * kept): a summary as {@link WindowStats}'s with {@code "window": "sliding"}, {@code "start"} and {@code "end"} (the
 * window's bounds by the completion clock). A key reports at each step in which it had readings; a pane older than the
 * window is forgotten (and a key with none left). The length should be a multiple of the step.
 */
public class SlidingWindowStats extends WindowStats {

    private record Pane(long end, Stats stats) {
    }

    private long lengthMillis = 60_000;
    private long stepMillis = 10_000;
    private LongSupplier clock = System::currentTimeMillis;
    private final Map<String, Deque<Pane>> panes = new HashMap<>();

    /** @param seconds the window's length (default 60) */
    public void setLengthSeconds(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("SlidingWindowStats lengthSeconds=" + seconds + ": must be above 0");
        }
        this.lengthMillis = Math.round(seconds * 1000);
    }

    /** @param seconds the step, which must be the aggregate's completionInterval (default 10) */
    public void setStepSeconds(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("SlidingWindowStats stepSeconds=" + seconds + ": must be above 0");
        }
        this.stepMillis = Math.round(seconds * 1000);
    }

    /** For tests: the clock panes are stamped with (epoch milliseconds). */
    void setClock(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    protected synchronized Stats windowStats(String key, Stats group, Exchange exchange) {
        long now = clock.getAsLong();
        // A pane is in the window if it ended within the length; half a step of slack absorbs the timer's jitter.
        long oldest = now - lengthMillis + stepMillis / 2;
        for (Iterator<Deque<Pane>> it = panes.values().iterator(); it.hasNext();) {
            Deque<Pane> d = it.next();
            while (!d.isEmpty() && d.peekFirst().end() <= oldest) {
                d.removeFirst();
            }
            if (d.isEmpty()) {
                it.remove();
            }
        }
        Deque<Pane> mine = panes.computeIfAbsent(key, k -> new ArrayDeque<>());
        mine.addLast(new Pane(now, group.copy()));
        Stats window = new Stats();
        for (Pane p : mine) {
            window.merge(p.stats());
        }
        exchange.setProperty("OutpostAnalyticsWindowEnd", now);
        return window;
    }

    @Override
    protected ObjectNode summary(String key, Stats stats, Exchange exchange) {
        ObjectNode json = ReadingExtractor.JSON.createObjectNode();
        long end = exchange.getProperty("OutpostAnalyticsWindowEnd", Long.class);
        exchange.removeProperty("OutpostAnalyticsWindowEnd");
        json.put("key", key);
        json.put("window", "sliding");
        json.put("start", Instant.ofEpochMilli(end - lengthMillis).toString());
        json.put("end", Instant.ofEpochMilli(end).toString());
        putStats(json, stats);
        return json;
    }

    /** @return how many keys have panes in their window */
    public synchronized int keys() {
        return panes.size();
    }
}
