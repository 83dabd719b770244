/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.postoffice.Address;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.postoffice.impl.AddressImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.impl.QueueImpl;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker's queues hold, read from the running Artemis server (none while it is stopped): subscribers of an
 * address, a queue's counts, bytes and depth by priority, and dropping its oldest messages.
 */
final class BrokerQueues {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerQueues.class);

    private final Supplier<ActiveMQServer> server;

    /** @param server the running server, or null */
    BrokerQueues(Supplier<ActiveMQServer> server) {
        this.server = server;
    }

    boolean hasSubscribers(String address) {
        ActiveMQServer s = server.get();
        if (s == null) {
            return false;
        }
        // Artemis' own wildcard matching, so the answer is what its routing would do with the message.
        WildcardConfiguration wildcards = s.getConfiguration().getWildcardConfiguration();
        Address target = new AddressImpl(SimpleString.of(address), wildcards);
        return s.getPostOffice().getAllBindings().anyMatch(b -> b instanceof QueueBinding
                && target.matches(new AddressImpl(b.getAddress(), wildcards)));
    }

    Optional<QueueStats> stats(String queue) {
        ActiveMQServer s = server.get();
        Queue q = s == null ? null : s.locateQueue(queue);
        if (q == null) {
            return Optional.empty();
        }
        return Optional.of(new QueueStats(queue, q.getMessageCount(), q.getPersistentSize(), q.getDeliveringCount(),
                q.getMessagesAdded(), q.getMessagesExpired()));
    }

    long bytes(String queue) {
        ActiveMQServer s = server.get();
        Queue q = s == null ? null : s.locateQueue(queue);
        return q == null ? 0 : q.getPersistentSize();
    }

    Optional<QueueDepth> depth(String queue) {
        ActiveMQServer s = server.get();
        Queue q = s == null ? null : s.locateQueue(queue);
        if (q == null) {
            return Optional.empty();
        }
        Map<Integer, Long> byPriority = new TreeMap<>();
        long oldest = Long.MAX_VALUE;
        long count = 0;
        try (LinkedListIterator<MessageReference> it = q.browserIterator()) {
            while (it.hasNext()) {
                org.apache.activemq.artemis.api.core.Message m = it.next().getMessage();
                byPriority.merge((int) m.getPriority(), 1L, Long::sum);
                if (m.getTimestamp() > 0) {
                    oldest = Math.min(oldest, m.getTimestamp());
                }
                count++;
            }
        }
        return Optional.of(new QueueDepth(count, q.getPersistentSize(), byPriority,
                oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest)));
    }

    long dropOldest(String queue, long bytes) {
        ActiveMQServer s = server.get();
        Queue q = s == null ? null : s.locateQueue(queue);
        if (q == null || bytes <= 0) {
            return 0;
        }
        long dropped = 0;
        long[] freed = {0};
        // A queue delivers by priority, then in order: within each priority, from the lowest up, the first
        // messages met are the oldest.
        for (int priority = 0; priority <= 9 && freed[0] < bytes; priority++) {
            int p = priority;
            Filter oldestOfPriority = new MessageFilter(m -> {
                if (freed[0] >= bytes || m.getPriority() != p) {
                    return false;
                }
                freed[0] += sizeOf(m);
                return true;
            });
            try {
                dropped += q.deleteMatchingReferences(QueueImpl.DEFAULT_FLUSH_LIMIT, oldestOfPriority,
                        AckReason.KILLED);
            } catch (Exception e) {
                LOG.warn("Could not drop the oldest messages of {}: {}", queue, e.toString());
                break;
            }
        }
        return dropped;
    }

    private static long sizeOf(org.apache.activemq.artemis.api.core.Message m) {
        try {
            return m.getPersistentSize();
        } catch (Exception e) {
            return m.getEncodeSize();
        }
    }
}
