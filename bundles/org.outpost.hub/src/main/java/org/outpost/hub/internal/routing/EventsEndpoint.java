/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.outpost.broker.api.Broker;
import org.outpost.hub.routing.RoutedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in endpoint {@code events} on this node's broker: a multicast address ({@value #ADDRESS}, MQTT topic
 * {@value #TOPIC}) with a durable queue per consumer group, named as Artemis names an MQTT 5 shared subscription's
 * queue ({@code <group>.outpost.events}), so that backends read a group with {@code $share/<group>/outpost/events}
 * (MQTT 5) or the queue {@code outpost.events::<group>.outpost.events} (AMQP, core). A message is the
 * {@linkplain MessageCodec#envelope envelope} JSON, expiring after the retention. Sends are transacted: one commit (one
 * journal sync) per ingestion batch. Used from one thread at a time.
 */
final class EventsEndpoint implements AutoCloseable {

    static final String ADDRESS = "outpost.events";
    static final String TOPIC = "outpost/events";
    private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);

    private final Broker broker;
    private final String user;
    private final String password;
    private final long retentionMs;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final AtomicLong delivered = new AtomicLong();
    private ServerLocator locator;
    private ClientSessionFactory factory;
    private ClientSession session;
    private ClientProducer producer;

    EventsEndpoint(Broker broker, String user, String password, long retentionMs) {
        this.broker = broker;
        this.user = user;
        this.password = password;
        this.retentionMs = retentionMs;
    }

    static String queueOf(String group) {
        return group + "." + ADDRESS;
    }

    /** @return the next sequence of this node's built-in endpoint (increasing across restarts: time-based) */
    long nextSequence() {
        return sequence.incrementAndGet();
    }

    long delivered() {
        return delivered.get();
    }

    private synchronized ClientSession session() throws ActiveMQException {
        if (session == null || session.isClosed()) {
            closeQuietly();
            try {
                locator = broker.createLocator();
                factory = locator.createSessionFactory();
                session = factory.createSession(user, password, false, false, false, false, 0);
                producer = session.createProducer(ADDRESS);
            } catch (Exception e) {
                closeQuietly();
                throw e instanceof ActiveMQException a ? a : new ActiveMQException(e.toString());
            }
        }
        return session;
    }

    /** Sends the messages and commits; nothing is sent when it throws. */
    synchronized void publish(List<RoutedMessage> messages) throws ActiveMQException {
        if (messages.isEmpty()) {
            return;
        }
        ClientSession s = session();
        try {
            long expiry = System.currentTimeMillis() + retentionMs;
            for (RoutedMessage m : messages) {
                ClientMessage cm = s.createMessage(ClientMessage.BYTES_TYPE, true);
                cm.getBodyBuffer().writeBytes(MessageCodec.envelopes(List.of(m), false).getBytes(StandardCharsets.UTF_8));
                cm.setExpiration(expiry);
                cm.putIntProperty("mqtt.qos.level", 1);
                producer.send(cm);
            }
            s.commit();
            delivered.addAndGet(messages.size());
        } catch (ActiveMQException e) {
            try {
                s.rollback();
            } catch (ActiveMQException r) {
                closeQuietly();
            }
            throw e;
        }
    }

    /** Creates the group's durable queue on this node's broker when it has none. */
    synchronized void ensureGroup(String group) throws ActiveMQException {
        ClientSession s = session();
        SimpleString q = SimpleString.of(queueOf(group));
        if (!s.queueQuery(q).isExists()) {
            s.createQueue(QueueConfiguration.of(q).setAddress(ADDRESS).setRoutingType(RoutingType.MULTICAST)
                    .setDurable(true).setAutoCreated(false).setAutoDelete(false));
            LOG.info("Consumer group '{}' of the built-in endpoint: queue {} on this node's broker", group, q);
        }
    }

    synchronized void removeGroup(String group) throws ActiveMQException {
        ClientSession s = session();
        SimpleString q = SimpleString.of(queueOf(group));
        if (s.queueQuery(q).isExists()) {
            s.deleteQueue(q);
        }
    }

    /** @return messages waiting for the group on this node, or -1 if it has no queue here */
    synchronized long waiting(String group) {
        try {
            ClientSession.QueueQuery q = session().queueQuery(SimpleString.of(queueOf(group)));
            return q.isExists() ? q.getMessageCount() : -1;
        } catch (ActiveMQException e) {
            return -1;
        }
    }

    private void closeQuietly() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (ActiveMQException e) {
            LOG.debug("Closing the built-in endpoint's session: {}", e.toString());
        }
        if (factory != null) {
            factory.close();
        }
        if (locator != null) {
            locator.close();
        }
        session = null;
        factory = null;
        locator = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
