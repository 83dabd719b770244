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
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * The server's Netty threads and listening sockets. Each connection's pipeline is {@code tls} (on a TLS port), the
 * MQTT decoder and encoder, and its session on a session thread: sessions block on their user's SPIs.
 */
final class Transport implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventExecutorGroup sessionThreads;

    /** @param name the threads' name: {@code <name>-accept}, {@code <name>} and {@code <name>-session} */
    Transport(String name) {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory(name, true));
        sessionThreads = new DefaultEventExecutorGroup(16, new DefaultThreadFactory(name + "-session", true));
    }

    /**
     * @param tls the TLS context, or null for plain MQTT
     * @param maxBytes the largest MQTT packet taken
     * @param sessions makes the session of a new connection
     * @param what how to fix it, for the error ({@code change port in etc/x.cfg})
     * @return the listening channel
     * @throws IllegalStateException if it cannot listen (the port is taken)
     */
    Channel listen(String host, int port, SslContext tls, int maxBytes, Supplier<ChannelHandler> sessions,
            String what) {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
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

    /** Stops the threads (without waiting for them). */
    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        sessionThreads.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
