/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * An in-memory idempotent repository for the idempotentConsumer EIP in which an id is remembered for
 * {@code windowSeconds} (default 60) after it was first seen: a duplicate within the window is dropped, the same id
 * later passes again. At most {@code maxEntries} ids (default 100,000) are kept; beyond that the oldest is forgotten
 * early. Ids are kept in the order they were first seen, so forgetting is cheap.
 */
public class TimeWindowIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private long windowMillis = 60_000;
    private int maxEntries = 100_000;
    private LongSupplier clock = System::currentTimeMillis;
    /** id to the time it was first seen, oldest first. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    /** @param seconds how long an id is remembered */
    public void setWindowSeconds(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("TimeWindowIdempotentRepository windowSeconds=" + seconds
                    + ": must be above 0");
        }
        this.windowMillis = Math.round(seconds * 1000);
    }

    /** @param maxEntries how many ids are remembered at most */
    public void setMaxEntries(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("TimeWindowIdempotentRepository maxEntries=" + maxEntries
                    + ": must be 1 or more");
        }
        this.maxEntries = maxEntries;
    }

    /** For tests: the clock (epoch milliseconds). */
    void setClock(LongSupplier clock) {
        this.clock = clock;
    }

    private void expire(long now) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() < windowMillis && seen.size() <= maxEntries) {
                return;
            }
            it.remove();
        }
    }

    @Override
    public synchronized boolean add(String key) {
        long now = clock.getAsLong();
        expire(now);
        if (seen.containsKey(key)) {
            return false;
        }
        seen.put(key, now);
        expire(now);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        expire(clock.getAsLong());
        return seen.containsKey(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        return seen.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        seen.clear();
    }

    /** @return how many ids are remembered now */
    public synchronized int size() {
        expire(clock.getAsLong());
        return seen.size();
    }

    @Override
    protected void doStop() {
        clear();
    }
}
