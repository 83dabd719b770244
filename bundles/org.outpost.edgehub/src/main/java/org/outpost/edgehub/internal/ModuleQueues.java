/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.outpost.api.message.Message;
import org.outpost.iothub.spi.InputMessage;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.PropertyBag;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's consumers of a module's input queues ({@code outpost.modules.<m>.inputs.<i>}), in one broker
 * session: what the broker hands out waits here, numbered in arrival order (each input's in its queue's order), until
 * the connection sends it and the module acknowledges it; then it is acknowledged to the broker, alone. Closing the
 * session when the connection ends gives every unacknowledged message back to its queue, in order, for the next
 * connection.
 */
final class ModuleQueues implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleQueues.class);

    private record Held(InputMessage message, ClientMessage stored) {
    }

    private final String module;
    private final Runnable arrived;
    private final ClientSession session;
    private final Map<String, ClientConsumer> consumers = new HashMap<>();
    /** Handed out by the broker and not yet acknowledged by the module, by sequence number. */
    private final NavigableMap<Long, Held> held = new TreeMap<>();
    private long seq;
    private boolean closed;

    /**
     * @param arrived run (on a broker thread) when a message arrived
     * @throws ActiveMQException if the broker session cannot be made
     */
    ModuleQueues(ClientSessionFactory factory, String module, Runnable arrived) throws ActiveMQException {
        this.module = module;
        this.arrived = arrived;
        // Acknowledgements go at once, without waiting for the disk: a crash right after may deliver a message
        // again (at least once), never lose one.
        this.session = factory.createSession(false, true, true);
        session.start();
    }

    /** @return the queue of a module's input */
    static String queue(String module, String input) {
        return "outpost.modules." + module + ".inputs." + input;
    }

    /** Consumes an input's queue (made if it does not exist yet), if it does not already. */
    synchronized void consume(String input) throws ActiveMQException {
        if (closed || consumers.containsKey(input)) {
            return;
        }
        String queue = queue(module, input);
        if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
            session.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        ClientConsumer consumer = session.createConsumer(queue);
        consumer.setMessageHandler(m -> received(input, m));
        consumers.put(input, consumer);
        LOG.info("Delivering {} to module {} over the IoT Hub endpoint", queue, module);
    }

    /** @return the inputs consumed */
    synchronized List<String> inputs() {
        return List.copyOf(consumers.keySet());
    }

    private void received(String input, ClientMessage stored) {
        byte[] body = new byte[stored.getBodyBuffer().readableBytes()];
        stored.getBodyBuffer().readBytes(body);
        Map<String, String> properties;
        try {
            properties = PropertyBag.of(MessageHeaders.toMessage(body, stored::getObjectProperty));
        } catch (IllegalArgumentException e) {
            // Delivered as it is rather than lost: the body, without the properties that cannot be read.
            LOG.warn("A message for module {} input {} has malformed properties ({}); delivering its body alone",
                    module, input, e.getMessage());
            properties = PropertyBag.of(Message.builder().body(body).build());
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            seq++;
            held.put(seq, new Held(new InputMessage(seq, input, properties, body), stored));
        }
        arrived.run();
    }

    /** @return the messages after {@code afterSeq}, oldest first, at most {@code max} */
    synchronized List<InputMessage> waiting(long afterSeq, int max) {
        List<InputMessage> out = new ArrayList<>();
        for (Held h : held.tailMap(afterSeq, false).values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(h.message());
        }
        return out;
    }

    /** The module acknowledged it: acknowledged to the broker, so it leaves its queue. */
    void delivered(InputMessage message) {
        Held h;
        synchronized (this) {
            h = held.remove(message.seq());
        }
        if (h == null) {
            return;
        }
        try {
            // Outside this object's lock: the broker's thread takes it to hand out the next message.
            h.stored().individualAcknowledge();
        } catch (ActiveMQException e) {
            LOG.warn("Could not acknowledge a delivered message of module {} input {} ({}); it may come again",
                    module, message.input(), e.getMessage());
        }
    }

    /** The connection ended: the session closes, and what was not acknowledged goes back to its queue, in order. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            held.clear();
        }
        try {
            session.close();
        } catch (ActiveMQException e) {
            LOG.debug("Closing the input session of module {}: {}", module, e.toString());
        }
    }
}
