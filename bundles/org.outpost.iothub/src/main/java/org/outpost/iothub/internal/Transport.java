/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.outpost.iothub.ServerSettings.ConnectionLimits;

/**
 * The server's Netty threads and listening sockets. A new connection over the {@link ConnectionCap caps} is closed
 * before anything is read from it; the pipeline of the others is {@code tls} (on a TLS port), the HTTP upgrade and
 * WebSocket framing (on a WebSocket port, {@link WebSocketFraming}), the MQTT decoder and
 * encoder, their {@link ConnectionGuard guard} (CONNECT timeout, back-pressure), and their session on a session
 * thread: sessions block on their user's SPIs. Each connection's outbound buffer has the limits' water marks.
 */
final class Transport implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventExecutorGroup sessionThreads;
    /** Every open connection, to close them before the threads that run them stop. */
    private final ChannelGroup connections = new DefaultChannelGroup("iothub-connections",
            GlobalEventExecutor.INSTANCE);

    /** @param name the threads' name: {@code <name>-accept}, {@code <name>} and {@code <name>-session} */
    Transport(String name) {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory(name, true));
        sessionThreads = new DefaultEventExecutorGroup(16, new DefaultThreadFactory(name + "-session", true));
    }

    /**
     * @param tls the TLS context of each new connection (asked at each: a renewed certificate is served to the
     *            connections after it), or null for plain MQTT
     * @param maxBytes the largest MQTT packet taken
     * @param limits the connect timeout, the unwritable timeout and the water marks of each connection
     * @param cap counts the open connections (of every listener of the server) and refuses those over its caps
     * @param sessions makes the session of a new connection
     * @param what how to fix it, for the error ({@code change port in etc/x.cfg})
     * @return the listening channel
     * @throws IllegalStateException if it cannot listen (the port is taken)
     */
    Channel listen(String host, int port, Supplier<SslContext> tls, int maxBytes, ConnectionLimits limits,
            ConnectionCap cap, Supplier<ChannelHandler> sessions, String what) {
        return listen(host, port, tls, false, maxBytes, limits, cap, sessions, what);
    }

    /**
     * As {@link #listen(String, int, Supplier, int, ConnectionLimits, ConnectionCap, Supplier, String)}; with
     * {@code webSocket}, MQTT is carried in WebSocket frames ({@link WebSocketFraming}) after an HTTP upgrade.
     */
    Channel listen(String host, int port, Supplier<SslContext> tls, boolean webSocket, int maxBytes,
            ConnectionLimits limits, ConnectionCap cap, Supplier<ChannelHandler> sessions, String what) {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        limits.writeBufferLowBytes(), limits.writeBufferHighBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetSocketAddress remote = ch.remoteAddress();
                        var admitted = cap.admit(remote == null ? "unknown" : remote.getAddress().getHostAddress());
                        if (admitted.isEmpty()) {
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> admitted.get().run());
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
                        }
                        if (webSocket) {
                            WebSocketFraming.addTo(ch.pipeline(), maxBytes, limits.connectTimeout().toMillis());
                        }
                        ch.pipeline().addLast("decoder", new MqttDecoder(maxBytes));
                        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
                        ch.pipeline().addLast(ConnectionGuard.NAME, new ConnectionGuard(limits.connectTimeout(),
                                limits.unwritableTimeout()));
                        ch.pipeline().addLast(sessionThreads, MqttSession.NAME, sessions.get());
                    }
                });
        try {
            return b.bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("the IoT Hub endpoint cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "): " + what, e);
        }
    }

    /**
     * Stops accepting, closes every connection, then stops the I/O threads and last the session threads, each after
     * the one before has ended: a connection's last events (its close) still find the session thread they run on,
     * instead of a rejected task and its stack trace in the log at every stop.
     */
    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        sessionThreads.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
