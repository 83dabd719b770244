/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.ChannelHandlerContext;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages waiting in a store for one connected identity, sent to it at QoS 1 and removed from the store when it
 * acknowledges them: at most a window of them in flight, in the store's order, and nothing more asked for while the
 * client does not read (its connection is not writable). What is sent and not acknowledged when the connection ends
 * stays in the store, for the next connection. Cloud-to-device messages and module inputs are two of these; a
 * subclass says where its messages come from and what topic they go out on.
 *
 * @param <M> a stored message
 */
abstract class Deliveries<M> {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    /** The identity the messages are for. */
    protected final Identity identity;
    private final ChannelHandlerContext ctx;
    private final Outbox out;
    private final int window;
    /** Messages sent and not yet acknowledged, by packet id. */
    private final Map<Integer, M> inFlight = new ConcurrentHashMap<>();
    /** Stops hearing of new messages; null until the client subscribes to them. */
    private Subscription arrivals;
    /** The last message sent on this connection (the next are after it). */
    private long lastSent;

    /** @param window at most this many messages wait for their PUBACK at once */
    Deliveries(Identity identity, ChannelHandlerContext ctx, Outbox out, int window) {
        this.identity = identity;
        this.ctx = ctx;
        this.out = out;
        this.window = window;
    }

    /** @return the filter whose subscription starts the deliveries, or null when this identity has none */
    abstract String filter();

    /** @return the next messages in the store after {@code afterSeq}, oldest first, at most {@code max} */
    abstract List<M> waiting(long afterSeq, int max);

    /** The client acknowledged the message: it leaves the store. */
    abstract void delivered(M message);

    /** @return the store's notice of new messages for this identity, {@code arrived} run on any thread */
    abstract Subscription onMessage(Runnable arrived);

    /** @return the message's place in the store's order */
    abstract long seq(M message);

    /** @return the topic the message is published on */
    abstract String topic(M message);

    /** @return the message's body */
    abstract byte[] body(M message);

    /** @return what the messages are, for the log ("input messages") */
    abstract String what();

    /** The client subscribed to its messages (and was told so): deliveries start, once. */
    synchronized void start() {
        if (arrivals != null || filter() == null || !ctx.channel().isActive()) {
            return;
        }
        arrivals = onMessage(() -> ctx.executor().execute(this::sendNext));
        sendNext();
    }

    /** The connection is writable again (its client read): deliveries go on where they stopped. */
    void resume() {
        sendNext();
    }

    private synchronized void sendNext() {
        if (arrivals == null || !ctx.channel().isActive() || inFlight.size() >= window
                || !ctx.channel().isWritable()) {
            // While the client does not read (its outbound buffer is full), nothing more is asked for: resume.
            return;
        }
        List<M> next;
        try {
            next = waiting(lastSent, window - inFlight.size());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the {} of {} (sent when they can be read, or when it reconnects): {}", what(),
                    identity, e.getMessage());
            return;
        }
        for (M m : next) {
            if (!ctx.channel().isWritable()) {
                // The rest is asked for again after the last sent, when the client reads.
                return;
            }
            int id = out.reservePacketId();
            inFlight.put(id, m);
            lastSent = seq(m);
            out.sendAtLeastOnce(id, topic(m), body(m));
        }
    }

    /**
     * The client acknowledged a packet: if it was one of these messages, it is delivered, and the next may go.
     *
     * @return whether the packet was one of this handler's
     */
    boolean acknowledged(int packetId) {
        M m = inFlight.remove(packetId);
        if (m == null) {
            return false;
        }
        out.releasePacketId(packetId);
        try {
            delivered(m);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove one of the delivered {} of {}: {}; it may come again", what(), identity,
                    e.getMessage());
        }
        sendNext();
        return true;
    }

    /** The connection ended: unacknowledged messages stay in the store for the next connection. */
    synchronized void close() {
        if (arrivals != null) {
            arrivals.close();
            arrivals = null;
        }
        inFlight.keySet().forEach(out::releasePacketId);
        inFlight.clear();
    }
}
