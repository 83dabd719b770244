/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a server's open connections, per remote address and in all, and refuses those over either cap before they
 * are read: a flood of connections (half-open or not) holds at most that many sockets. Refusals are counted, and
 * logged at most once a minute per address, so that a flood does not flood the log too.
 */
final class ConnectionCap {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    /** Addresses whose last refusal log is remembered; beyond, the oldest are forgotten (and may log again). */
    private static final int MAX_REMEMBERED = 10_000;

    private final int perAddress;
    private final int overall;
    private final String configurationFile;
    private final LongSupplier nanoTime;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    /** When a refusal of each address was last logged (nano time). */
    private final Map<String, Long> logged = new ConcurrentHashMap<>();

    /** @param configurationFile where the caps are configured, named in the log */
    ConnectionCap(int perAddress, int overall, String configurationFile, LongSupplier nanoTime) {
        this.perAddress = perAddress;
        this.overall = overall;
        this.configurationFile = configurationFile;
        this.nanoTime = nanoTime;
    }

    /**
     * @param address the remote address (without its port)
     * @return what to run once when the connection closes, if it is let in; empty if it is over a cap (it is to be
     *         closed at once)
     */
    Optional<Runnable> admit(String address) {
        if (total.incrementAndGet() > overall) {
            total.decrementAndGet();
            return refuse(address, "the server has " + overall + " connections open (max.connections)");
        }
        // Counted and uncounted under compute, so that a counter reaching zero leaves the map exactly once.
        int count = open.compute(address, (a, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        }).get();
        if (count > perAddress) {
            release(address);
            return refuse(address, address + " has " + perAddress + " connections open"
                    + " (max.connections.per.address)");
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                release(address);
            }
        });
    }

    private void release(String address) {
        total.decrementAndGet();
        open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** @return the connections refused since the server started */
    long refused() {
        return refused.get();
    }

    /** @return the open connections counted */
    int open() {
        return total.get();
    }

    private Optional<Runnable> refuse(String address, String why) {
        long n = refused.incrementAndGet();
        long now = nanoTime.getAsLong();
        Long last = logged.get(address);
        if (last == null || now - last >= MINUTE) {
            if (logged.size() >= MAX_REMEMBERED) {
                logged.entrySet().removeIf(e -> now - e.getValue() >= MINUTE);
                if (logged.size() >= MAX_REMEMBERED) {
                    logged.clear();
                }
            }
            logged.put(address, now);
            LOG.warn("Refusing connections from {}: {}; {} refused in all so far (logged once a minute per address;"
                    + " raise the limit in {} if these are real clients)", address, why, n, configurationFile);
        }
        return Optional.empty();
    }
}
