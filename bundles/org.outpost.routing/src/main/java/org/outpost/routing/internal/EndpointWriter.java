/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.SendAcknowledgementHandler;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.outpost.api.message.Message;
import org.outpost.broker.api.Broker;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores messages in endpoint queues without blocking the caller: each send is acknowledged by the broker once its
 * journal holds it, so many messages in flight share one disk sync. A sender always uses the same broker session, so
 * its messages are stored in the order it routed them.
 */
final class EndpointWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointWriter.class);

    /** The broker confirms every stored send at once (a larger window would hold confirmations back). */
    private static final int CONFIRMATION_WINDOW_BYTES = 1;

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final Slot[] slots;
    private final Set<String> queues = ConcurrentHashMap.newKeySet();

    private static final class Slot {
        final ClientSession session;
        final ClientProducer producer;

        Slot(ClientSession session) throws ActiveMQException {
            this.session = session;
            this.producer = session.createProducer();
        }
    }

    EndpointWriter(Broker broker, int sessions) throws ActiveMQException {
        try {
            this.locator = broker.createLocator().setBlockOnDurableSend(false)
                    .setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
            this.factory = locator.createSessionFactory();
        } catch (Exception e) {
            throw new ActiveMQException("cannot open the broker: " + e.getMessage());
        }
        this.slots = new Slot[Math.max(1, sessions)];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(factory.createSession(true, true));
        }
    }

    /**
     * Stores one copy of a message in each queue.
     *
     * @param sender who sent it; one sender's messages are stored in call order
     * @param message the message
     * @param deliveries the queues with each copy's priority and time to live
     * @param done called once: with {@code null} when every copy is stored, or with why one was not
     */
    void write(String sender, Message message, Map<String, RouteTable.Delivery> deliveries,
            Consumer<Exception> done) {
        AtomicInteger remaining = new AtomicInteger(deliveries.size());
        AtomicBoolean reported = new AtomicBoolean();
        SendAcknowledgementHandler handler = new SendAcknowledgementHandler() {
            @Override
            public void sendAcknowledged(org.apache.activemq.artemis.api.core.Message m) {
                if (remaining.decrementAndGet() == 0 && reported.compareAndSet(false, true)) {
                    done.accept(null);
                }
            }

            @Override
            public void sendFailed(org.apache.activemq.artemis.api.core.Message m, Exception e) {
                if (reported.compareAndSet(false, true)) {
                    done.accept(e);
                }
            }
        };
        Slot slot = slots[Math.floorMod(sender.hashCode(), slots.length)];
        long now = System.currentTimeMillis();
        Map<String, String> headers = MessageHeaders.of(message);
        try {
            synchronized (slot) {
                for (Map.Entry<String, RouteTable.Delivery> d : deliveries.entrySet()) {
                    ensureQueue(slot.session, d.getKey());
                    ClientMessage cm = slot.session.createMessage(ClientMessage.BYTES_TYPE, true);
                    cm.getBodyBuffer().writeBytes(message.body());
                    headers.forEach(cm::putStringProperty);
                    cm.setTimestamp(now);
                    cm.setPriority((byte) d.getValue().jmsPriority());
                    // The time to live counts from now, when the message is stored at this endpoint.
                    cm.setExpiration(now + d.getValue().timeToLiveMs());
                    slot.producer.send(SimpleString.of(d.getKey()), cm, handler);
                }
            }
        } catch (ActiveMQException | RuntimeException e) {
            if (reported.compareAndSet(false, true)) {
                done.accept(e);
            }
        }
    }

    private void ensureQueue(ClientSession session, String queue) throws ActiveMQException {
        if (queues.contains(queue)) {
            return;
        }
        if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
            try {
                session.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true));
            } catch (ActiveMQQueueExistsException e) {
                // Its consumer created it meanwhile.
            }
        }
        queues.add(queue);
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            synchronized (s) {
                try {
                    s.session.close();
                } catch (ActiveMQException e) {
                    LOG.debug("Closing an endpoint writer session: {}", e.getMessage());
                }
            }
        }
        factory.close();
        locator.close();
    }
}
