/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;

/** A broker of queue sizes and statistics set by the test; it records what it was asked to drop. */
final class FakeBroker implements Broker {

    record Drop(String queue, long bytes) {
    }

    final Map<String, Long> bytes = new ConcurrentHashMap<>();
    final Map<String, QueueDepth> depths = new ConcurrentHashMap<>();
    final Map<String, QueueStats> stats = new ConcurrentHashMap<>();
    final List<Drop> drops = new CopyOnWriteArrayList<>();
    /** How many messages each dropOldest call reports as deleted. */
    volatile long droppedPerCall = 3;

    @Override
    public ServerLocator createLocator() {
        throw new UnsupportedOperationException("no broker in a unit test");
    }

    @Override
    public Optional<String> acceptorUrl(String protocol) {
        return Optional.empty();
    }

    @Override
    public Optional<QueueStats> queueStats(String queue) {
        return Optional.ofNullable(stats.get(queue));
    }

    @Override
    public long queueBytes(String queue) {
        return bytes.getOrDefault(queue, 0L);
    }

    @Override
    public Optional<QueueDepth> queueDepth(String queue) {
        return Optional.ofNullable(depths.get(queue));
    }

    @Override
    public long dropOldest(String queue, long bytes) {
        drops.add(new Drop(queue, bytes));
        return droppedPerCall;
    }

    @Override
    public boolean hasSubscribers(String address) {
        return false;
    }
}
