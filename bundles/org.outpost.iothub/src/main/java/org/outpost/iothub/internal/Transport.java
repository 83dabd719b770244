/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The server's Netty threads and listening sockets. Each connection's pipeline is {@code tls} (on a TLS port), the
 * MQTT decoder and encoder, and its session on a session thread: sessions block on their user's SPIs.
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
     * @param sessions makes the session of a new connection
     * @param what how to fix it, for the error ({@code change port in etc/x.cfg})
     * @return the listening channel
     * @throws IllegalStateException if it cannot listen (the port is taken)
     */
    Channel listen(String host, int port, Supplier<SslContext> tls, int maxBytes, Supplier<ChannelHandler> sessions,
            String what) {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("decoder", new MqttDecoder(maxBytes));
                        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
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
