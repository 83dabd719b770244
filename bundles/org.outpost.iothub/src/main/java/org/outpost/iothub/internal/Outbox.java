/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection sends to its client: the filters it was granted (and their QoS), and the packet ids of what is
 * published to it. Safe to use from any thread (Netty queues writes from outside the channel's executor).
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final ChannelHandlerContext ctx;
    private final String who;
    /** Granted filters and their QoS. */
    private final Map<String, MqttQoS> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger packetIds = new AtomicInteger();
    /** Packet ids of QoS 1 deliveries waiting for their PUBACK: not given out again until acknowledged. */
    private final Set<Integer> reserved = ConcurrentHashMap.newKeySet();

    /** @param who the connected identity, for the log */
    Outbox(ChannelHandlerContext ctx, String who) {
        this.ctx = ctx;
        this.who = who;
    }

    void granted(String filter, MqttQoS qos) {
        subscriptions.put(filter, qos);
    }

    void revoked(String filter) {
        subscriptions.remove(filter);
    }

    boolean subscribed(String filter) {
        return subscriptions.containsKey(filter);
    }

    /**
     * Publishes to the client if it subscribed with {@code filter}, at the QoS it was granted. Deliveries are not
     * redelivered: a client that misses one asks again (twin GET), as IoT Hub devices do after a reconnect.
     */
    void send(String filter, String topic, String body) {
        MqttQoS qos = subscriptions.get(filter);
        if (qos == null) {
            LOG.debug("Not sending '{}' to {}: it did not subscribe to {}", topic, who, filter);
            return;
        }
        ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(nextPacketId())
                .retained(false).payload(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))).build());
    }

    /** Publishes at QoS 1 whatever the client's subscription. */
    void sendAtLeastOnce(int packetId, String topic, byte[] body) {
        ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(packetId)
                .retained(false).payload(Unpooled.wrappedBuffer(body)).build());
    }

    /**
     * @return the next packet id, 1 to 65535 and around again, skipping those {@link #reservePacketId reserved}: a
     *         twin publish never takes the id of a delivery still waiting for its PUBACK, however many come between
     */
    int nextPacketId() {
        for (int tries = 0; tries < 65535; tries++) {
            int id = packetIds.updateAndGet(i -> i >= 65535 ? 1 : i + 1);
            if (!reserved.contains(id)) {
                return id;
            }
        }
        throw new IllegalStateException("all 65535 packet ids of " + who + " wait for a PUBACK");
    }

    /** @return a packet id no other publish gets until {@link #releasePacketId released} */
    int reservePacketId() {
        while (true) {
            int id = nextPacketId();
            if (reserved.add(id)) {
                return id;
            }
        }
    }

    /** The delivery with this packet id was acknowledged (or its connection ended): the id may be used again. */
    void releasePacketId(int id) {
        reserved.remove(id);
    }
}
