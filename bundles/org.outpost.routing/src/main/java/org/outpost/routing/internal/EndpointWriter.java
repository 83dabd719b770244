/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import org.outpost.broker.api.DirectStore;
import org.outpost.broker.api.StorageFullException;
import org.outpost.broker.api.StoreTimeoutException;
import org.outpost.commons.DaemonThreads;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores messages in endpoint queues without blocking the caller: each send is acknowledged by the broker once its
 * journal holds it, so many messages in flight share one disk sync. A sender always uses the same lane (a broker
 * session, or a lane of the broker's {@link DirectStore}, which stores from the caller's thread without in-VM packets
 * when the broker has one), so its messages are stored in the order it routed them.
 *
 * <p>A write never waits for room: while the broker's disk is over its limit it fails at once with what to do
 * ({@link StorageFullException}), and a copy the broker has not confirmed within its store timeout fails the write
 * ({@link StoreTimeoutException}). The sender learns either way; nothing it was told is stored is lost.
 */
final class EndpointWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointWriter.class);

    /** The broker confirms every stored send at once (a larger window would hold confirmations back). */
    private static final int CONFIRMATION_WINDOW_BYTES = 1;

    private final Broker broker;
    private final ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("outpost-store-timeouts"));
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final Slot[] slots;
    private final Set<String> queues = ConcurrentHashMap.newKeySet();
    /** The broker's store without sessions, if it has one. */
    private final DirectStore direct;

    private static final class Slot {
        final ClientSession session;
        final ClientProducer producer;

        Slot(ClientSession session) throws ActiveMQException {
            this.session = session;
            this.producer = session.createProducer();
        }
    }

    EndpointWriter(Broker broker, int sessions) throws ActiveMQException {
        this.broker = broker;
        this.direct = broker.directStore().orElse(null);
        timeouts.setRemoveOnCancelPolicy(true);
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
        try {
            broker.requireStorage();
        } catch (StorageFullException e) {
            done.accept(e);
            return;
        }
        AtomicInteger remaining = new AtomicInteger(deliveries.size());
        AtomicBoolean reported = new AtomicBoolean();
        ScheduledFuture<?>[] timeout = new ScheduledFuture<?>[1];
        CountDownLatch answered = new CountDownLatch(1);
        Consumer<Exception> once = e -> {
            if (reported.compareAndSet(false, true)) {
                answered.countDown();
                ScheduledFuture<?> t = timeout[0];
                if (t != null) {
                    t.cancel(false);
                }
                done.accept(e);
            }
        };
        SendAcknowledgementHandler handler = new SendAcknowledgementHandler() {
            @Override
            public void sendAcknowledged(org.apache.activemq.artemis.api.core.Message m) {
                if (remaining.decrementAndGet() == 0) {
                    once.accept(null);
                }
            }

            @Override
            public void sendFailed(org.apache.activemq.artemis.api.core.Message m, Exception e) {
                once.accept(e);
            }
        };
        java.time.Duration wait = broker.storeTimeout();
        timeout[0] = timeouts.schedule(() -> once.accept(new StoreTimeoutException("the message from " + sender
                + " for " + deliveries.keySet(), wait)), wait.toMillis(), TimeUnit.MILLISECONDS);
        if (reported.get()) {
            timeout[0].cancel(false);
        }
        int lane = Math.floorMod(sender.hashCode(), slots.length);
        Slot slot = slots[lane];
        long now = System.currentTimeMillis();
        Map<String, String> headers = MessageHeaders.of(message);
        try {
            synchronized (slot) {
                if (direct != null && message.body().length <= DirectStore.MAX_BODY_BYTES) {
                    // Stored from this thread: no in-VM packets, no hand-offs to and from a broker thread.
                    List<DirectStore.Copy> copies = new ArrayList<>(deliveries.size());
                    deliveries.forEach((queue, d) -> copies.add(new DirectStore.Copy(queue, d.jmsPriority(),
                            now + d.timeToLiveMs())));
                    direct.store(lane, message.body(), headers, now, copies, once);
                    return;
                }
                for (Map.Entry<String, RouteTable.Delivery> d : deliveries.entrySet()) {
                    ensureQueue(slot.session, d.getKey());
                    ClientMessage cm = slot.session.createMessage(ClientMessage.BYTES_TYPE, true);
                    cm.getBodyBuffer().writeBytes(message.body());
                    headers.forEach(cm::putStringProperty);
                    cm.setTimestamp(now);
                    cm.setPriority((byte) d.getValue().jmsPriority());
                    // The time to live counts from now, when the message is stored at this endpoint.
                    cm.setExpiration(now + d.getValue().timeToLiveMs());
                    if (d.getValue().route() != null) {
                        cm.putStringProperty(MessageHeaders.ROUTE, d.getValue().route());
                    }
                    slot.producer.send(SimpleString.of(d.getKey()), cm, handler);
                }
                if (direct != null) {
                    // A body too large to store directly went through the session: the sender's next messages, stored
                    // directly, must not overtake it, so its lane waits until it is stored (or the store timed out).
                    answered.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (ActiveMQException | RuntimeException e) {
            once.accept(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            once.accept(new ActiveMQException("interrupted while the message was being stored; it may or may not be"));
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
        // Timeouts still pending fire (the default policy of a shut down scheduler): every write is answered.
        timeouts.shutdown();
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
