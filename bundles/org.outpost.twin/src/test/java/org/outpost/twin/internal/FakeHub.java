/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import org.outpost.protocol.SasToken;

/**
 * A hub for the twin clients' tests: an MQTT 3.1.1 server on 127.0.0.1 that admits an identity only with a SAS token
 * signed with the key it holds for it (the device key for {@code $edgeAgent} and {@code $edgeHub}, the registered key
 * for a module), answers twin requests (a fresh twin: desired and reported at version 1) and the Outpost identity
 * requests as the hub does (PUT stores the module's primary key, 200; DELETE 204, or 404 if it holds none), and
 * records what it saw. {@link #refuseIdentities} makes it refuse identity requests instead.
 */
final class FakeHub implements AutoCloseable {

    static final String HOST = "hub.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITIES = "$outpost/identities/modules/";

    /** Keys by client id, {@code <device>/<module>}. */
    final Map<String, String> keys = new ConcurrentHashMap<>();
    /** {@code "<client id> accepted|refused"}, in order. */
    final List<String> connects = new CopyOnWriteArrayList<>();
    /** {@code "PUT <module> <body>"} and {@code "DELETE <module>"}, in order. */
    final List<String> identityRequests = new CopyOnWriteArrayList<>();
    /** Every other publish from a client: {@code "<client id> <topic> <body>"}. */
    final List<String> published = new CopyOnWriteArrayList<>();
    private final Map<String, Channel> sessions = new ConcurrentHashMap<>();
    private final String deviceId;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private volatile int refuseStatus;
    private volatile String refuseBody;
    private Channel server;

    /** Holds the device key for the device's {@code $edgeAgent} and {@code $edgeHub}. */
    FakeHub(String deviceId, String deviceKey) {
        this.deviceId = deviceId;
        keys.put(deviceId + "/$edgeAgent", deviceKey);
        keys.put(deviceId + "/$edgeHub", deviceKey);
    }

    /** @return the twins' configuration for a hub at that URL, with this device key */
    static CloudTwins.Config config(String url, String deviceKey) {
        return Fakes.fake(CloudTwins.Config.class, Map.of("url", args -> url, "host_name", args -> HOST,
                "key", args -> deviceKey, "token_hours", args -> 1, "tls_ca", args -> "",
                "report_interval_seconds", args -> 1, "secrets_file", args -> "", "allow_plain_off_loopback",
                args -> false, "health_interval_seconds", args -> 60));
    }

    /** Listens on the port (0: any free one). */
    FakeHub start(int port) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Session());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        return this;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** @return the URL clients connect to */
    String url() {
        return "tcp://127.0.0.1:" + port();
    }

    /**
     * Answers identity requests with this status and body from now on; 0 to answer as the hub again, -1 not to answer
     * (a hub without the extension).
     */
    void refuseIdentities(int status, String body) {
        refuseBody = body;
        refuseStatus = status;
    }

    /** @return whether the identity is connected now */
    boolean connected(String clientId) {
        Channel c = sessions.get(clientId);
        return c != null && c.isActive();
    }

    /** Publishes to a connected identity (QoS 0). */
    void publish(String clientId, String topic, String body) {
        Channel c = sessions.get(clientId);
        if (c == null) {
            throw new IllegalStateException(clientId + " is not connected");
        }
        c.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_MOST_ONCE).retained(false)
                .payload(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)).messageId(0).build());
    }

    /** Stops listening and closes every connection (the hub goes away). */
    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.close().sync();
        }
        sessions.values().forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private final class Session extends SimpleChannelInboundHandler<MqttMessage> {
        private String clientId;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) throws Exception {
            switch (m.fixedHeader().messageType()) {
                case CONNECT -> connect(ctx, (MqttConnectMessage) m);
                case SUBSCRIBE -> {
                    MqttSubscribeMessage s = (MqttSubscribeMessage) m;
                    ctx.writeAndFlush(new MqttSubAckMessage(header(MqttMessageType.SUBACK),
                            MqttMessageIdVariableHeader.from(s.variableHeader().messageId()),
                            new MqttSubAckPayload(s.payload().topicSubscriptions().stream().mapToInt(t -> 1)
                                    .toArray())));
                }
                case PUBLISH -> publish(ctx, (MqttPublishMessage) m);
                case PINGREQ -> ctx.writeAndFlush(new MqttMessage(header(MqttMessageType.PINGRESP)));
                case DISCONNECT -> ctx.close();
                default -> { }
            }
        }

        private void connect(ChannelHandlerContext ctx, MqttConnectMessage m) {
            clientId = m.payload().clientIdentifier();
            String key = keys.get(clientId);
            boolean ok;
            try {
                ok = key != null && SasToken.parse(new String(m.payload().passwordInBytes(), StandardCharsets.UTF_8))
                        .check(HOST + "/devices/" + clientId.replace("/", "/modules/"), key, Instant.now())
                        == SasToken.Check.VALID;
            } catch (IllegalArgumentException e) {
                ok = false;
            }
            connects.add(clientId + (ok ? " accepted" : " refused"));
            ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(ok ? MqttConnectReturnCode.CONNECTION_ACCEPTED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED).sessionPresent(false).build());
            if (ok) {
                sessions.put(clientId, ctx.channel());
            } else {
                ctx.close();
            }
        }

        private void publish(ChannelHandlerContext ctx, MqttPublishMessage m) throws Exception {
            String topic = m.variableHeader().topicName();
            ByteBuf payload = m.payload();
            String body = payload.toString(StandardCharsets.UTF_8);
            if (m.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(new MqttPubAckMessage(header(MqttMessageType.PUBACK),
                        MqttMessageIdVariableHeader.from(m.variableHeader().packetId())));
            }
            String rid = topic.substring(topic.indexOf("$rid=") + 5);
            if (topic.startsWith(IDENTITIES)) {
                identity(topic.substring(IDENTITIES.length(), topic.indexOf("/?")), body, rid);
            } else if (topic.startsWith("$iothub/twin/GET/")) {
                FakeHub.this.publish(clientId, "$iothub/twin/res/200/?$rid=" + rid,
                        "{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
            } else {
                published.add(clientId + " " + topic + " " + body);
                if (topic.startsWith("$iothub/twin/PATCH/properties/reported/")) {
                    FakeHub.this.publish(clientId, "$iothub/twin/res/204/?$rid=" + rid + "&$version=2", "");
                }
            }
        }

        /** {@code PUT/<module>} or {@code DELETE/<module>}. */
        private void identity(String request, String body, String rid) throws Exception {
            String verb = request.substring(0, request.indexOf('/'));
            String module = request.substring(verb.length() + 1);
            identityRequests.add(verb + " " + module + (body.isEmpty() ? "" : " " + body));
            int status;
            String answer = "";
            if (refuseStatus < 0) {
                return;
            }
            if (refuseStatus != 0) {
                status = refuseStatus;
                answer = refuseBody;
            } else if (verb.equals("PUT")) {
                keys.put(deviceId + "/" + module, JSON.readTree(body).path("primaryKey").asText());
                status = 200;
                answer = "{}";
            } else {
                status = keys.remove(deviceId + "/" + module) == null ? 404 : 204;
            }
            FakeHub.this.publish(clientId, "$outpost/identities/res/" + status + "/?$rid=" + rid, answer);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static MqttFixedHeader header(MqttMessageType type) {
        return new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
    }
}
