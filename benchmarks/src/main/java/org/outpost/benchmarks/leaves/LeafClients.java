/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import org.outpost.protocol.SasToken;

/**
 * Simulated leaf devices: thousands of MQTT 3.1.1 clients in this JVM on a few Netty threads, each speaking what an
 * Azure IoT device SDK speaks to its gateway ({@code GatewayHostName=<gateway>}): TLS, client id = device id, user
 * name {@code <hub>/<device>/?api-version=...}, password a SAS token for {@code <hub>/devices/<device>} made with the
 * device's key, telemetry at QoS 1 on {@code devices/<device>/messages/events/}. Against a bare broker (the baseline)
 * the same packets go out; the broker ignores the credentials.
 */
public final class LeafClients implements AutoCloseable {

    /** Where the leaves connect. */
    public record Target(String host, int port, SslContext tls) {
    }

    /** A leaf device. */
    public record Leaf(String id, String key) {
    }

    /** How connecting went. */
    public record Connected(int accepted, int refused, int failed, double seconds) {
        public double perSecond() {
            return accepted / seconds;
        }
    }

    /** How publishing went: messages the server acknowledged (PUBACK), over how long. */
    public record Published(long acknowledged, double seconds) {
        public double perSecond() {
            return acknowledged / seconds;
        }
    }

    static final String API_VERSION = "2021-04-12";
    private final NioEventLoopGroup loop;
    private final String hubHost;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    /**
     * @param threads Netty event-loop threads
     * @param hubHost the hub's host name the SAS tokens name
     */
    public LeafClients(int threads, String hubHost) {
        this.loop = new NioEventLoopGroup(threads);
        this.hubHost = hubHost;
    }

    /** Connects every leaf, {@code window} connecting at a time; returns when each is accepted, refused or failed. */
    public Connected connect(Target target, List<Leaf> leaves, int window, Duration timeout)
            throws InterruptedException {
        Semaphore slots = new Semaphore(window);
        CountDownLatch all = new CountDownLatch(leaves.size());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        for (Leaf leaf : leaves) {
            slots.acquire();
            Client c = new Client(leaf, outcome -> {
                (outcome == 0 ? accepted : outcome == 1 ? refused : failed).incrementAndGet();
                slots.release();
                all.countDown();
            });
            clients.add(c);
            ChannelInitializer<SocketChannel> pipeline = new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (target.tls() != null) {
                        ch.pipeline().addLast(target.tls().newHandler(ch.alloc(), target.host(), target.port()));
                    }
                    ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, c);
                }
            };
            new Bootstrap().group(loop).channel(NioSocketChannel.class).handler(pipeline)
                    .connect(target.host(), target.port()).addListener(f -> {
                        if (!f.isSuccess()) {
                            c.done(2);
                        }
                    });
        }
        if (!all.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("not every leaf connected within " + timeout + ": " + accepted.get()
                    + " accepted, " + refused.get() + " refused, " + failed.get() + " failed");
        }
        return new Connected(accepted.get(), refused.get(), failed.get(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Each connected leaf sends {@code perLeaf} messages of {@code bytes} bytes at QoS 1, with at most
     * {@code inflight} unacknowledged; returns when the server acknowledged them all.
     */
    public Published publish(int perLeaf, int bytes, int inflight, Duration timeout) throws InterruptedException {
        List<Client> live = clients.stream().filter(Client::isConnected).toList();
        CountDownLatch all = new CountDownLatch(live.size());
        long t0 = System.nanoTime();
        for (Client c : live) {
            c.startPublishing(perLeaf, bytes, inflight, all::countDown);
        }
        boolean finished = all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long acked = live.stream().mapToLong(c -> c.acknowledged.get()).sum();
        if (!finished) {
            throw new IllegalStateException("the leaves' messages were not all acknowledged within " + timeout + ": "
                    + acked + " of " + (long) perLeaf * live.size());
        }
        return new Published(acked, (System.nanoTime() - t0) / 1e9);
    }

    /** @return leaves connected now */
    public int connected() {
        return (int) clients.stream().filter(Client::isConnected).count();
    }

    /** Disconnects every leaf (MQTT DISCONNECT, then close). */
    public void disconnectAll() {
        for (Client c : clients) {
            c.disconnect();
        }
        clients.clear();
    }

    @Override
    public void close() {
        disconnectAll();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One leaf's connection. */
    private final class Client extends SimpleChannelInboundHandler<MqttMessage> {
        private final Leaf leaf;
        private final java.util.function.IntConsumer outcome;
        private final AtomicBoolean reported = new AtomicBoolean();
        final AtomicLong acknowledged = new AtomicLong();
        private volatile Channel channel;
        private volatile boolean connected;
        private int toSend;
        private int total;
        private int nextId = 1;
        private int bytes;
        private Runnable finished;

        Client(Leaf leaf, java.util.function.IntConsumer outcome) {
            this.leaf = leaf;
            this.outcome = outcome;
        }

        /** 0 accepted, 1 refused, 2 failed: once. */
        void done(int how) {
            if (reported.compareAndSet(false, true)) {
                outcome.accept(how);
            }
        }

        boolean isConnected() {
            return connected && channel != null && channel.isActive();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            String token = SasToken.create(hubHost + "/devices/" + leaf.id(), leaf.key(), Instant.now().plus(Duration
                    .ofHours(1)));
            ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(leaf.id()).protocolVersion(MqttVersion.MQTT_3_1_1)
                    .cleanSession(false).keepAlive(240).username(hubHost + "/" + leaf.id() + "/?api-version="
                            + API_VERSION).password(token.getBytes(StandardCharsets.UTF_8)).build());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected = false;
            done(2);
            Runnable f = finished;
            if (f != null) {
                finished = null;
                f.run();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            MqttMessageType type = msg.fixedHeader().messageType();
            if (type == MqttMessageType.CONNACK) {
                if (((MqttConnAckMessage) msg).variableHeader().connectReturnCode()
                        == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    connected = true;
                    done(0);
                } else {
                    done(1);
                    ctx.close();
                }
            } else if (type == MqttMessageType.PUBACK) {
                if (acknowledged.incrementAndGet() >= total) {
                    complete();
                } else {
                    sendNext(ctx, 1);
                }
            }
        }

        void startPublishing(int count, int size, int inflight, Runnable whenAcknowledged) {
            channel.eventLoop().execute(() -> {
                toSend = count;
                total = count;
                bytes = size;
                finished = whenAcknowledged;
                acknowledged.set(0);
                sendNext(channel.pipeline().lastContext(), inflight);
                if (count == 0) {
                    complete();
                }
            });
        }

        /** On the event loop: sends up to {@code n} more, or reports the end when all are acknowledged. */
        private void sendNext(ChannelHandlerContext ctx, int n) {
            for (int i = 0; i < n && toSend > 0; i++) {
                toSend--;
                String body = "{\"t\":" + System.currentTimeMillis() + ",\"pad\":\"" + "x".repeat(Math.max(0, bytes
                        - 40)) + "\"}";
                int id = nextId;
                nextId = nextId == 65_535 ? 1 : nextId + 1;
                ctx.write(MqttMessageBuilders.publish().topicName("devices/" + leaf.id() + "/messages/events/")
                        .qos(MqttQoS.AT_LEAST_ONCE).messageId(id).retained(false)
                        .payload(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))).build());
            }
            ctx.flush();
        }

        private void complete() {
            Runnable f = finished;
            finished = null;
            if (f != null) {
                f.run();
            }
        }

        void disconnect() {
            Channel c = channel;
            if (c != null && c.isActive()) {
                c.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> c.close());
            }
        }
    }
}
