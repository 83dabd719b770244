/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.ChannelHandlerContext;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.InputMessage;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One module connection's input messages (edgeHub's {@code BrokeredEndpoint("/modules/<m>/inputs/<i>")}): once the
 * module subscribes to {@code devices/<d>/modules/<m>/inputs/#}, delivers its waiting and new messages on
 * {@code devices/<d>/modules/<m>/inputs/<input>/<property bag>} at QoS 1, in the source's order, up to
 * {@value #IN_FLIGHT} at a time; each is reported delivered only when the module acknowledges it (PUBACK). What is
 * unacknowledged when the connection ends is the source's to deliver again on the next connection. While the module
 * does not read (its connection is not writable), nothing more is sent or asked for; deliveries go on when it is
 * writable again ({@link #resume}).
 */
final class InputHandler {

    /** At most this many input messages wait for their PUBACK at once. */
    static final int IN_FLIGHT = 128;

    private static final Logger LOG = LoggerFactory.getLogger(InputHandler.class);

    private final Identity module;
    private final InputSource source;
    private final ChannelHandlerContext ctx;
    private final Outbox out;
    /** Messages sent and not yet acknowledged, by packet id. */
    private final Map<Integer, InputMessage> inFlight = new ConcurrentHashMap<>();
    /** Stops hearing of new messages; null until the module subscribes to them. */
    private Subscription arrivals;
    /** The last message sent on this connection (the next are after it). */
    private long lastSent;

    InputHandler(Identity module, InputSource source, ChannelHandlerContext ctx, Outbox out) {
        this.module = module;
        this.source = source;
        this.ctx = ctx;
        this.out = out;
    }

    /** @return the filter that starts the deliveries, or null for an identity that is not a module (it has none) */
    String filter() {
        return module.kind() == Identity.Kind.MODULE ? IotHubTopic.ModuleInput.filter(module.deviceId(),
                module.moduleId()) : null;
    }

    /** The module subscribed to its inputs (and was told so): deliveries start, once. */
    synchronized void start() {
        if (arrivals != null || filter() == null || !ctx.channel().isActive()) {
            return;
        }
        arrivals = source.onMessage(module, () -> ctx.executor().execute(this::sendNext));
        sendNext();
    }

    /** The connection is writable again (its client read): deliveries go on where they stopped. */
    void resume() {
        sendNext();
    }

    private synchronized void sendNext() {
        if (arrivals == null || !ctx.channel().isActive() || inFlight.size() >= IN_FLIGHT
                || !ctx.channel().isWritable()) {
            // While the client does not read (its outbound buffer is full), nothing more is asked for: resume.
            return;
        }
        List<InputMessage> next;
        try {
            next = source.waiting(module, lastSent, IN_FLIGHT - inFlight.size());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the input messages of {} (sent when they can be read, or when it reconnects): {}",
                    module, e.getMessage());
            return;
        }
        for (InputMessage m : next) {
            if (!ctx.channel().isWritable()) {
                // The rest is asked for again after the last sent, when the module reads.
                return;
            }
            int id = out.nextPacketId();
            inFlight.put(id, m);
            lastSent = m.seq();
            out.sendAtLeastOnce(id, new IotHubTopic.ModuleInput(module.deviceId(), module.moduleId(), m.input(),
                    m.properties()).format(), m.body());
        }
    }

    /**
     * The client acknowledged a packet: if it was an input message, it is delivered, and the next may go.
     *
     * @return whether it was one of this handler's
     */
    boolean acknowledged(int packetId) {
        InputMessage m = inFlight.remove(packetId);
        if (m == null) {
            return false;
        }
        try {
            source.delivered(module, m);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove a delivered input message of {} (input {}): {}; it may come again", module,
                    m.input(), e.getMessage());
        }
        sendNext();
        return true;
    }

    /** The connection ended: unacknowledged messages stay with the source for the next connection. */
    synchronized void close() {
        if (arrivals != null) {
            arrivals.close();
            arrivals = null;
        }
        inFlight.clear();
    }
}
