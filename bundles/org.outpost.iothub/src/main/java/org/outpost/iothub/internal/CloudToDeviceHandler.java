/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.ChannelHandlerContext;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's cloud-to-device messages: once the client subscribes to them, delivers its waiting and new
 * messages, in order, up to {@value #IN_FLIGHT} at a time; each is reported delivered only when the client
 * acknowledges it (PUBACK). What is unacknowledged when the connection ends is delivered again next time. New
 * messages are sent as the source announces them. While the client does not read (its connection is not writable),
 * nothing more is sent or asked for; deliveries go on when it is writable again ({@link #resume}).
 */
final class CloudToDeviceHandler {

    /** At most this many cloud-to-device messages wait for their PUBACK at once. */
    static final int IN_FLIGHT = 16;

    private static final Logger LOG = LoggerFactory.getLogger(CloudToDeviceHandler.class);

    private final Identity identity;
    private final CloudToDeviceSource source;
    private final ChannelHandlerContext ctx;
    private final Outbox out;
    /** Messages sent and not yet acknowledged, by packet id. */
    private final Map<Integer, CloudToDeviceMessage> inFlight = new ConcurrentHashMap<>();
    /** Stops hearing of new messages; null until the client subscribes to them. */
    private Subscription arrivals;
    /** The last message sent on this connection (the next are after it). */
    private long lastSent;

    CloudToDeviceHandler(Identity identity, CloudToDeviceSource source, ChannelHandlerContext ctx, Outbox out) {
        this.identity = identity;
        this.source = source;
        this.ctx = ctx;
        this.out = out;
    }

    /** @return the filter that starts the deliveries */
    String filter() {
        return IotHubTopic.CloudToDevice.filter(identity.deviceId());
    }

    /** The client subscribed to its messages (and was told so): deliveries start, once. */
    synchronized void start() {
        if (arrivals != null || !ctx.channel().isActive()) {
            return;
        }
        arrivals = source.onMessage(identity, () -> ctx.executor().execute(this::sendNext));
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
        List<CloudToDeviceMessage> next;
        try {
            next = source.waiting(identity, lastSent, IN_FLIGHT - inFlight.size());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the cloud-to-device messages of {} (sent when it reconnects): {}", identity,
                    e.getMessage());
            return;
        }
        for (CloudToDeviceMessage m : next) {
            if (!ctx.channel().isWritable()) {
                // The rest is asked for again after the last sent, when the client reads.
                return;
            }
            int id = out.nextPacketId();
            inFlight.put(id, m);
            lastSent = m.seq();
            out.sendAtLeastOnce(id, new IotHubTopic.CloudToDevice(identity.deviceId(), m.properties()).format(),
                    m.body());
        }
    }

    /** The client acknowledged a packet: if it was a message, it is delivered, and the next may go. */
    void acknowledged(int packetId) {
        CloudToDeviceMessage m = inFlight.remove(packetId);
        if (m == null) {
            return;
        }
        try {
            source.delivered(identity, m);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove a delivered cloud-to-device message of {}: {}; it may come again", identity,
                    e.getMessage());
        }
        sendNext();
    }

    /** The connection ended: unacknowledged messages stay with the source for the next connection. */
    synchronized void close() {
        if (arrivals != null) {
            arrivals.close();
            arrivals = null;
        }
    }
}
