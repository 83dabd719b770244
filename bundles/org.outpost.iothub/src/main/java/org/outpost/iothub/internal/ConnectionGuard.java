/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection from holding the server's memory and sockets, on the connection's event loop, between the
 * MQTT codec and the session: closes it if it sends no CONNECT within the connect timeout; stops reading from it while
 * it is not writable (what is sent to it, its acknowledgements included, waits above the high water mark because it
 * does not read), and reads again when it is; closes it if it stays not writable for longer than the unwritable
 * timeout. The session hears of writability changes too (it stops and restarts its deliveries). Its name in the
 * pipeline is {@value #NAME}.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    /** Its name in the channel's pipeline. */
    static final String NAME = "guard";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Duration connectTimeout;
    private final Duration unwritableTimeout;
    /** Who the connection says it is (its CONNECT's client id), for the log; null before its CONNECT. */
    private String clientId;
    private ScheduledFuture<?> connectDeadline;
    private ScheduledFuture<?> unwritableDeadline;

    ConnectionGuard(Duration connectTimeout, Duration unwritableTimeout) {
        this.connectTimeout = connectTimeout;
        this.unwritableTimeout = unwritableTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connectDeadline = ctx.executor().schedule(() -> {
            if (clientId == null && ctx.channel().isOpen()) {
                // Debug: a scan or a flood of half-open connections would otherwise fill the log.
                LOG.debug("Closing a connection from {}: no CONNECT within {} ms", ctx.channel().remoteAddress(),
                        connectTimeout.toMillis());
                ctx.close();
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (clientId == null && msg instanceof MqttMessage) {
            // Any packet ends the wait: a first packet that is not CONNECT closes the connection in the session.
            clientId = msg instanceof MqttConnectMessage connect ? "'" + connect.payload().clientIdentifier() + "'"
                    : "an unauthenticated connection";
            connectDeadline.cancel(false);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable) {
            if (unwritableDeadline != null) {
                unwritableDeadline.cancel(false);
                unwritableDeadline = null;
            }
        } else if (unwritableDeadline == null) {
            unwritableDeadline = ctx.executor().schedule(() -> unwritableTooLong(ctx), unwritableTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void unwritableTooLong(ChannelHandlerContext ctx) {
        unwritableDeadline = null;
        if (!ctx.channel().isWritable() && ctx.channel().isOpen()) {
            LOG.warn("Closing {} from {}: it has not read what was sent to it for {} s (its outbound buffer stayed"
                    + " above {} bytes)", clientId == null ? "a connection" : clientId, ctx.channel().remoteAddress(),
                    unwritableTimeout.toSeconds(), ctx.channel().config().getWriteBufferHighWaterMark());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connectDeadline.cancel(false);
        if (unwritableDeadline != null) {
            unwritableDeadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
