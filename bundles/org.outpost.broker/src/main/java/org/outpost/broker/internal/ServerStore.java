/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.io.IOCallback;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.outpost.broker.api.DirectStore;

/**
 * Stores messages as the broker's own sessions do, but from the caller's thread: the message is made on the server
 * side and routed by the post office under an operation context of the sender's lane, and the journal's completion of
 * that context confirms it. What a core client session adds (the message encoded into an in-VM packet, handed to a
 * broker thread, decoded, and a confirmation packet handed back to a client thread) is left out: those hand-offs were
 * most of the kernel time of a routed message.
 * <p>
 * Messages are routed for direct delivery, as the broker's network acceptors route theirs: once stored, a message for
 * a queue with nothing waiting goes to its ready consumer from the thread that completed the store, without the queue's
 * delivery task in between.
 * <p>
 * Each lane has its own operation context and lock, like a session: stores of one lane are journaled, and added to
 * their queues once stored, in call order. A context belongs to one server; after a broker restart new ones are made.
 */
final class ServerStore implements DirectStore {

    private static final int LANES = 8;

    private final Supplier<ActiveMQServer> server;
    private final Object[] locks = new Object[LANES];
    private final OperationContext[] contexts = new OperationContext[LANES];
    private final ActiveMQServer[] contextServers = new ActiveMQServer[LANES];
    private final Map<ActiveMQServer, Set<SimpleString>> queues = new java.util.WeakHashMap<>();
    private final Map<String, SimpleString> names = new ConcurrentHashMap<>();

    ServerStore(Supplier<ActiveMQServer> server) {
        this.server = server;
        for (int i = 0; i < LANES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public void store(int lane, byte[] body, Map<String, String> properties, long timestamp, List<Copy> copies,
            Consumer<Exception> done) {
        ActiveMQServer s = server.get();
        if (s == null || !s.isActive()) {
            done.accept(new ActiveMQException(ActiveMQExceptionType.NOT_CONNECTED, "the broker is not running (it"
                    + " restarts when its configuration changes); the message was not stored, send it again"));
            return;
        }
        if (body.length > MAX_BODY_BYTES) {
            done.accept(new IllegalArgumentException("a body of " + body.length + " bytes is over the "
                    + MAX_BODY_BYTES + " bytes stored directly; send it through a client session"));
            return;
        }
        StorageManager storage = s.getStorageManager();
        int i = Math.floorMod(lane, LANES);
        synchronized (locks[i]) {
            if (contextServers[i] != s) {
                contexts[i] = storage.newContext(s.getExecutorFactory().getExecutor());
                contextServers[i] = s;
            }
            // The caller's thread may be a broker thread with a context of its own (a network client's session):
            // it gets it back.
            OperationContext previous = storage.getContext();
            storage.setContext(contexts[i]);
            try {
                for (Copy c : copies) {
                    SimpleString queue = names.computeIfAbsent(c.queue(), SimpleString::of);
                    ensureQueue(s, queue);
                    CoreMessage m = new CoreMessage(storage.generateID(), body.length + 512);
                    m.setType(Message.BYTES_TYPE);
                    m.setDurable(true);
                    m.setAddress(queue);
                    m.setTimestamp(timestamp);
                    m.setPriority((byte) c.priority());
                    m.setExpiration(c.expiration());
                    properties.forEach((k, v) -> m.putStringProperty(names.computeIfAbsent(k, SimpleString::of),
                            SimpleString.of(v)));
                    m.getBodyBuffer().writeBytes(body);
                    RoutingStatus routed = s.getPostOffice().route(m, true);
                    if (routed == RoutingStatus.NO_BINDINGS) {
                        // The queue was deleted since it was made here (its module removed, say): made again.
                        forget(s, queue);
                        ensureQueue(s, queue);
                        routed = s.getPostOffice().route(m, true);
                    }
                    if (routed != RoutingStatus.OK) {
                        throw new ActiveMQException(ActiveMQExceptionType.INTERNAL_ERROR, "the broker did not take"
                                + " the message into queue " + c.queue() + " (" + routed + ")");
                    }
                }
                storage.afterCompleteOperations(new IOCallback() {
                    @Override
                    public void done() {
                        done.accept(null);
                    }

                    @Override
                    public void onError(int code, String message) {
                        done.accept(new ActiveMQException(ActiveMQExceptionType.IO_ERROR, "the journal did not store"
                                + " the message: " + message + " (error " + code + ")"));
                    }
                });
            } catch (Exception e) {
                done.accept(e);
            } finally {
                storage.setContext(previous);
            }
        }
    }

    private void forget(ActiveMQServer s, SimpleString queue) {
        synchronized (queues) {
            Set<SimpleString> known = queues.get(s);
            if (known != null) {
                known.remove(queue);
            }
        }
    }

    private void ensureQueue(ActiveMQServer s, SimpleString queue) throws Exception {
        Set<SimpleString> known;
        synchronized (queues) {
            known = queues.computeIfAbsent(s, x -> ConcurrentHashMap.newKeySet());
        }
        if (known.contains(queue)) {
            return;
        }
        if (s.locateQueue(queue) == null) {
            try {
                s.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true)
                        .setAutoCreateAddress(true));
            } catch (ActiveMQQueueExistsException e) {
                // Its consumer created it meanwhile.
            }
        }
        known.add(queue);
    }
}
