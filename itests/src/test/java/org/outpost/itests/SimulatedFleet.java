/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.outpost.protocol.SasToken;

/**
 * Thousands of simulated gateways in this JVM, on a few Netty threads: each a lightweight MQTT client speaking what
 * a gateway's {@code $edgeAgent} speaks to the hub. It connects with a SAS token, subscribes to its twin answers and
 * desired patches, and reads its twin. It answers every desired patch with a reported patch, as Outpost's deployment
 * agent does ({@code lastDesiredVersion}, {@code lastDesiredStatus} 200, the patch's modules running). For the
 * benchmark's baseline it also makes plain clients of a bare broker. Used by tests and benchmarks (no test library).
 */
public final class SimulatedFleet implements AutoCloseable {

    /** The hub's host name, as devices name it in SAS tokens (the hub's default). */
    public static final String HOST = "outpost-hub.local";
    private static final int IN_FLIGHT = 100;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final NioEventLoopGroup loop;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    /** Device id to when it first got a desired patch since {@link #forgetArrivals()}. */
    public final Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    /** Device id to the last desired patch it got. */
    public final Map<String, String> lastDesired = new ConcurrentHashMap<>();
    /** Connections the server refused. */
    public final AtomicInteger refused = new AtomicInteger();

    /**
     * @return a base deployment of one bundle module (at a location no gateway needs to fetch: simulated gateways
     *         only report it running) and a route to {@code $upstream}
     */
    public static String deployment(String id, int priority, String target, String module) {
        return "{\"id\": \"" + id + "\", \"priority\": " + priority + ", \"targetCondition\": \"" + target + "\","
                + " \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
                + " \"1.1\", \"modules\": {\"" + module + "\": {\"type\": \"bundle\", \"settings\": {\"location\":"
                + " \"mvn:org.example/" + module + "/1.0\"}}}}}, \"$edgeHub\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"routes\": {\"all\": \"FROM /messages/* INTO $upstream\"}}}}}}";
    }

    public SimulatedFleet(int threads) {
        this.loop = new NioEventLoopGroup(threads);
    }

    /**
     * Connects a simulated gateway for each device (as its {@code $edgeAgent} identity) to a hub's IoT Hub endpoint,
     * {@value #IN_FLIGHT} connecting at a time; returns when every one is subscribed (or refused).
     *
     * @param keys device id to its key (Base64)
     */
    public void connectGateways(int port, Map<String, String> keys) throws InterruptedException {
        connectAll(port, List.copyOf(keys.keySet()), id -> new Gateway(id, keys.get(id)));
    }

    /** Connects a plain client per id to a bare MQTT broker, each subscribed to {@code bench/<id>/desired}. */
    public void connectPlain(int port, List<String> ids) throws InterruptedException {
        connectAll(port, ids, Plain::new);
    }

    /** Sends each plain client its own message, from one more client: the fan-out floor of a broker. */
    public void publishToPlain(int port, List<String> ids, String payload) throws InterruptedException {
        Plain publisher = new Plain("bench-publisher");
        List<Channel> before = List.copyOf(channels);
        connectAll(port, List.of("bench-publisher"), id -> publisher);
        Channel p = channels.stream().filter(c -> !before.contains(c)).findFirst().orElseThrow();
        for (String id : ids) {
            p.write(publish("bench/" + id + "/desired", payload));
        }
        p.flush();
    }

    /** Forgets which devices got desired patches, to time the next change. */
    public void forgetArrivals() {
        arrivals.clear();
    }

    /** @return connections open now */
    public int connected() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void connectAll(int port, List<String> ids, Function<String, Client> clients)
            throws InterruptedException {
        Semaphore window = new Semaphore(IN_FLIGHT);
        CountDownLatch all = new CountDownLatch(ids.size());
        for (String id : ids) {
            window.acquire();
            Client c = clients.apply(id);
            c.onReady = () -> {
                window.release();
                all.countDown();
            };
            Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, c);
                        }
                    });
            channels.add(b.connect("127.0.0.1", port).sync().channel());
        }
        if (!all.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("not every client connected in 10 minutes");
        }
    }

    private static MqttPublishMessage publish(String topic, String payload) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_MOST_ONCE).retained(false)
                .payload(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))).build();
    }

    /** A minimal MQTT 3.1.1 client: connect, subscribe, then hand over what arrives. */
    private abstract class Client extends SimpleChannelInboundHandler<MqttMessage> {
        private Runnable onReady;
        private final AtomicBoolean ready = new AtomicBoolean();

        abstract MqttMessage connect();

        abstract List<String> topics();

        void subscribed(ChannelHandlerContext ctx) {
        }

        abstract void received(ChannelHandlerContext ctx, String topic, String payload);

        /** Subscribed, refused or closed: the slot it took is free. */
        private void ready() {
            if (ready.compareAndSet(false, true)) {
                onReady.run();
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(connect());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            MqttMessageType type = msg.fixedHeader().messageType();
            if (type == MqttMessageType.CONNACK) {
                if (((MqttConnAckMessage) msg).variableHeader().connectReturnCode()
                        != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    refused.incrementAndGet();
                    ready();
                    ctx.close();
                    return;
                }
                MqttMessageBuilders.SubscribeBuilder s = MqttMessageBuilders.subscribe().messageId(1);
                topics().forEach(t -> s.addSubscription(MqttQoS.AT_MOST_ONCE, t));
                ctx.writeAndFlush(s.build());
            } else if (type == MqttMessageType.SUBACK) {
                subscribed(ctx);
                ready();
            } else if (type == MqttMessageType.PUBLISH) {
                MqttPublishMessage p = (MqttPublishMessage) msg;
                received(ctx, p.variableHeader().topicName(), p.payload().toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A simulated gateway's {@code $edgeAgent}. */
    private final class Gateway extends Client {
        private final String id;
        private final String key;
        private int rid;

        Gateway(String id, String key) {
            this.id = id;
            this.key = key;
        }

        @Override
        MqttMessage connect() {
            String identity = id + "/$edgeAgent";
            String token = SasToken.create(HOST + "/devices/" + id + "/modules/$edgeAgent", key,
                    Instant.now().plus(Duration.ofHours(1)));
            return MqttMessageBuilders.connect().clientId(identity).protocolVersion(MqttVersion.MQTT_3_1_1)
                    .username(HOST + "/" + identity + "/?api-version=2021-04-12")
                    .password(token.getBytes(StandardCharsets.UTF_8)).keepAlive(300).cleanSession(true).build();
        }

        @Override
        List<String> topics() {
            return List.of("$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#", "$iothub/methods/POST/#");
        }

        @Override
        void subscribed(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(publish("$iothub/twin/GET/?$rid=" + ++rid, ""));
        }

        @Override
        void received(ChannelHandlerContext ctx, String topic, String payload) {
            if (topic.startsWith("$iothub/methods/POST/ping/")) {
                // As edgeAgent's ping, saying which gateway answered.
                String rid = topic.substring(topic.indexOf("$rid=") + "$rid=".length());
                ctx.writeAndFlush(publish("$iothub/methods/res/200/?$rid=" + rid, "{\"deviceId\": \"" + id + "\"}"));
                return;
            }
            if (!topic.startsWith("$iothub/twin/PATCH/properties/desired/")) {
                return;
            }
            arrivals.putIfAbsent(id, Instant.now());
            lastDesired.put(id, payload);
            String version = topic.substring(topic.indexOf("$version=") + "$version=".length());
            List<String> modules = new ArrayList<>();
            try {
                JSON.readTree(payload).path("modules").fieldNames().forEachRemaining(modules::add);
            } catch (java.io.IOException e) {
                // Not JSON: reported as a deployment of no module, which the hub's status will show.
            }
            StringBuilder reported = new StringBuilder("{\"lastDesiredVersion\": " + version
                    + ", \"lastDesiredStatus\": {\"code\": 200}, \"modules\": {");
            for (int i = 0; i < modules.size(); i++) {
                reported.append(i == 0 ? "" : ", ").append('"').append(modules.get(i))
                        .append("\": {\"runtimeStatus\": \"running\"}");
            }
            ctx.writeAndFlush(publish("$iothub/twin/PATCH/properties/reported/?$rid=" + ++rid,
                    reported.append("}}").toString()));
        }
    }

    /** A plain client of a bare broker (the baseline). */
    private final class Plain extends Client {
        private final String id;

        Plain(String id) {
            this.id = id;
        }

        @Override
        MqttMessage connect() {
            return MqttMessageBuilders.connect().clientId(id).protocolVersion(MqttVersion.MQTT_3_1_1).keepAlive(300)
                    .cleanSession(true).build();
        }

        @Override
        List<String> topics() {
            return List.of("bench/" + id + "/desired");
        }

        @Override
        void received(ChannelHandlerContext ctx, String topic, String payload) {
            arrivals.putIfAbsent(id, Instant.now());
        }
    }
}
