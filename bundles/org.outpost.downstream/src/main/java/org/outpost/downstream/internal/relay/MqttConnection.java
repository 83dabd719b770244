/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
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
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * One MQTT 3.1.1 client connection of the relay, on Netty's event loops that all relay connections share (no thread of
 * its own): CONNECT with user name and password, SUBSCRIBE at QoS 1, PUBLISH at QoS 1 (the answers come on response
 * topics, so PUBACKs are not waited for), received QoS 1 messages acknowledged only by {@link #ack}, PINGREQ when
 * nothing was written for the keep-alive, and the connection given up when nothing was read for one and a half.
 */
final class MqttConnection {

    /** What the connection hears, on its event loop. */
    interface Events {
        /** A message on {@code from}; a QoS 1 one waits for {@link #ack} ({@code packetId} 0 for QoS 0). */
        void message(MqttConnection from, String topic, int packetId, byte[] body);

        /** The connection ended after it was up (not after {@link #close}). */
        void lost(Throwable cause);
    }

    /** How to connect. */
    record Options(URI uri, SSLContext ssl, String clientId, String userName, String password, int keepAliveSeconds,
            Duration connectTimeout, int maxMessageBytes) {
    }

    private final Channel channel;
    private final AtomicInteger packetIds = new AtomicInteger();
    private final Map<Integer, CompletableFuture<int[]>> subscribing = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private MqttConnection(Channel channel) {
        this.channel = channel;
    }

    /**
     * @return completes when the server accepted the connection; exceptionally with {@link Refused} if it refused
     *         it, or with the I/O error
     */
    static CompletableFuture<MqttConnection> connect(EventLoopGroup group, Options o, Events events) {
        CompletableFuture<MqttConnection> done = new CompletableFuture<>();
        boolean tls = "ssl".equalsIgnoreCase(o.uri().getScheme());
        int port = o.uri().getPort() > 0 ? o.uri().getPort() : tls ? 8883 : 1883;
        MqttConnection[] self = new MqttConnection[1];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) o.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        if (tls) {
                            SSLContext context = o.ssl() != null ? o.ssl() : SSLContext.getDefault();
                            SSLEngine engine = context.createSSLEngine(o.uri().getHost(), port);
                            engine.setUseClientMode(true);
                            SSLParameters p = engine.getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(p);
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(new MqttDecoder(o.maxMessageBytes()), MqttEncoder.INSTANCE,
                                new IdleStateHandler(o.keepAliveSeconds() * 3 / 2, o.keepAliveSeconds(), 0),
                                new Handler(() -> self[0], done, events));
                    }
                });
        b.connect(o.uri().getHost(), port).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
                return;
            }
            self[0] = new MqttConnection(f.channel());
            f.channel().writeAndFlush(MqttMessageBuilders.connect().clientId(o.clientId())
                    .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(false).keepAlive(o.keepAliveSeconds())
                    .username(o.userName()).password(o.password().getBytes(StandardCharsets.UTF_8)).build());
            f.channel().eventLoop().schedule(() -> {
                if (done.completeExceptionally(new java.util.concurrent.TimeoutException("no CONNACK within "
                        + o.connectTimeout().toSeconds() + " s"))) {
                    f.channel().close();
                }
            }, o.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
        return done;
    }

    /** The server refused the connection (CONNACK with a code). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final MqttConnectReturnCode code;

        Refused(MqttConnectReturnCode code) {
            super("refused: " + code);
            this.code = code;
        }

        /** @return whether the credentials were refused (bad user name or password, not authorized) */
        boolean credentials() {
            return code == MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                    || code == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
    }

    /** @return completes with the granted QoS of each filter (0x80 refused) */
    CompletableFuture<int[]> subscribe(String[] filters) {
        CompletableFuture<int[]> granted = new CompletableFuture<>();
        int id = nextId();
        subscribing.put(id, granted);
        MqttMessageBuilders.SubscribeBuilder s = MqttMessageBuilders.subscribe().messageId(id);
        for (String f : filters) {
            s.addSubscription(MqttQoS.AT_LEAST_ONCE, f);
        }
        channel.writeAndFlush(s.build()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                subscribing.remove(id);
                granted.completeExceptionally(f.cause());
            }
        });
        return granted;
    }

    /** @return whether it was handed to the connection (false: it is closed) */
    boolean publish(String topic, byte[] body) {
        if (!channel.isActive()) {
            return false;
        }
        channel.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE)
                .retained(false).messageId(nextId()).payload(Unpooled.wrappedBuffer(body)).build());
        return true;
    }

    /** Acknowledges a received QoS 1 message (PUBACK). */
    void ack(int packetId) {
        if (packetId > 0 && channel.isActive()) {
            channel.writeAndFlush(new MqttPubAckMessage(header(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE),
                    MqttMessageIdVariableHeader.from(packetId)));
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Sends DISCONNECT and closes; {@link Events#lost} is not told. */
    void close() {
        closing = true;
        if (channel.isActive()) {
            channel.writeAndFlush(new MqttMessage(header(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE)))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private int nextId() {
        return packetIds.updateAndGet(i -> i >= 65535 ? 1 : i + 1);
    }

    private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private static final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        private final java.util.function.Supplier<MqttConnection> self;
        private final CompletableFuture<MqttConnection> connected;
        private final Events events;

        Handler(java.util.function.Supplier<MqttConnection> self, CompletableFuture<MqttConnection> connected,
                Events events) {
            this.self = self;
            this.connected = connected;
            this.events = events;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            if (m.decoderResult().isFailure()) {
                ctx.close();
                return;
            }
            switch (m.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnectReturnCode code = ((MqttConnAckMessage) m).variableHeader().connectReturnCode();
                    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        connected.complete(self.get());
                    } else {
                        connected.completeExceptionally(new Refused(code));
                        ctx.close();
                    }
                }
                case SUBACK -> {
                    MqttSubAckMessage s = (MqttSubAckMessage) m;
                    CompletableFuture<int[]> f = self.get().subscribing.remove(s.variableHeader().messageId());
                    if (f != null) {
                        f.complete(s.payload().grantedQoSLevels().stream().mapToInt(Integer::intValue).toArray());
                    }
                }
                case PUBLISH -> {
                    MqttPublishMessage p = (MqttPublishMessage) m;
                    byte[] body = new byte[p.payload().readableBytes()];
                    p.payload().readBytes(body);
                    int id = p.fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE ? 0 : p.variableHeader().packetId();
                    events.message(self.get(), p.variableHeader().topicName(), id, body);
                }
                default -> {
                    // PUBACK, PINGRESP: nothing to do
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new MqttMessage(header(MqttMessageType.PINGREQ, MqttQoS.AT_MOST_ONCE)));
            } else if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            MqttConnection c = self.get();
            boolean wasUp = connected.isDone() && !connected.isCompletedExceptionally();
            connected.completeExceptionally(new java.io.IOException("the connection closed before CONNACK"));
            if (c != null) {
                c.subscribing.values().forEach(f -> f.completeExceptionally(new java.io.IOException("closed")));
                if (wasUp && !c.closing) {
                    events.lost(new java.io.IOException("connection closed by the server or the network"));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Before CONNACK (a TLS handshake that failed, say), the attempt fails with the cause.
            connected.completeExceptionally(cause.getCause() != null && cause instanceof io.netty.handler.codec
                    .DecoderException ? cause.getCause() : cause);
            ctx.close();
        }
    }
}
