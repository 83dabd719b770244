/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.outpost.commons.DaemonThreads;
import org.outpost.hub.api.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this hub node sees of its devices, which changes with every message and so is not written at once: each node
 * counts its devices' messages, last activity and open connections in memory, and adds them to the database every
 * {@value #FLUSH_SECONDS} s (connections per node). What a node reports adds what it has not written yet, so its own
 * view is current and other nodes' views lag by at most that long.
 */
final class DeviceActivity implements AutoCloseable {

    static final int FLUSH_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceActivity.class);

    /** What this node saw of a device: messages not added to the database yet, and its last activity. */
    private static final class Seen {
        final AtomicLong messages = new AtomicLong();
        volatile long lastSeen;
        /** The last activity the database has from this node (flushes skip devices quiet since). */
        long flushedSeen;
    }

    private final DeviceRepository repository;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** This node's open connections per device (exact; the database has them as of the last flush). */
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Set<String> connectionsChanged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(
            "outpost-hub-activity"));

    /** Counts activity and flushes it every {@value #FLUSH_SECONDS} s until closed. */
    DeviceActivity(DeviceRepository repository) {
        this.repository = repository;
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops flushing, and flushes what is left. */
    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
    }

    /** Notes that a device authenticated (or otherwise showed it is there). */
    void seen(String id) {
        seen.computeIfAbsent(id, k -> new Seen()).lastSeen = System.currentTimeMillis();
    }

    /** Counts a telemetry message from a device. */
    void received(String id) {
        Seen s = seen.computeIfAbsent(id, k -> new Seen());
        s.lastSeen = System.currentTimeMillis();
        s.messages.incrementAndGet();
    }

    /** Counts a connection of the device (or of one of its modules) opening or closing on this node. */
    void connection(String id, boolean open) {
        if (open) {
            connections.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        } else {
            connections.computeIfPresent(id, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        connectionsChanged.add(id);
        if (open) {
            seen(id);
        }
    }

    /** Forgets a deleted device's activity (its rows went with it). */
    void forget(String id) {
        seen.remove(id);
    }

    /**
     * Writes every connection count again at the next flush: the database took this node for gone (and its counted
     * connections with it) and it is registered again.
     */
    void recountConnections() {
        connectionsChanged.addAll(connections.keySet());
    }

    /** @return the device as stored, with what this node saw and has not written yet */
    Device view(DeviceRepository.Registered registered) {
        DeviceRepository.Row row = registered.row();
        Seen s = seen.get(row.id());
        Instant last = row.lastSeen();
        if (s != null && s.lastSeen > 0 && (last == null || s.lastSeen > last.toEpochMilli())) {
            last = Instant.ofEpochMilli(s.lastSeen);
        }
        AtomicInteger here = connections.get(row.id());
        return new Device(row.id(), row.created(), last, row.messages() + (s == null ? 0 : s.messages.get()),
                !row.disabled(), registered.connectionsElsewhere() + (here == null ? 0 : here.get()),
                row.sealedSecondary() != null, row.parentId());
    }

    /** Adds what this node saw since the last flush to the database (every {@value #FLUSH_SECONDS} s). */
    void flush() {
        try {
            flushActivity();
            flushConnections();
        } catch (RuntimeException e) {
            LOG.warn("Could not store device activity (tried again in {} s): {}", FLUSH_SECONDS, e.getMessage());
        }
    }

    private void flushActivity() {
        Map<Seen, long[]> taken = new HashMap<>();
        List<DeviceRepository.ActivityDelta> deltas = new ArrayList<>();
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            Seen s = e.getValue();
            long last = s.lastSeen;
            if (s.messages.get() == 0 && last == s.flushedSeen) {
                continue;
            }
            long[] v = {s.messages.getAndSet(0), last};
            taken.put(s, v);
            deltas.add(new DeviceRepository.ActivityDelta(e.getKey(), v[0], v[1]));
        }
        if (taken.isEmpty()) {
            return;
        }
        try {
            repository.addActivity(deltas);
        } catch (RuntimeException e) {
            // Kept for the next flush.
            taken.forEach((s, v) -> s.messages.addAndGet(v[0]));
            throw e;
        }
        taken.forEach((s, v) -> s.flushedSeen = v[1]);
    }

    private void flushConnections() {
        List<String> changed = new ArrayList<>(connectionsChanged);
        if (changed.isEmpty()) {
            return;
        }
        connectionsChanged.removeAll(changed);
        try {
            repository.storeConnections(changed, id -> {
                AtomicInteger n = connections.get(id);
                return n == null ? 0 : n.get();
            });
        } catch (RuntimeException e) {
            connectionsChanged.addAll(changed);
            throw e;
        }
    }
}
