/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection, on its Netty channel: the MQTT state machine. Nothing but CONNECT until an identity is let in
 * ({@link ConnectHandler}); then SUBSCRIBE and UNSUBSCRIBE against the ACL, PUBLISH to the per-topic handlers
 * (telemetry, twin, method answers), PUBACK to the cloud-to-device deliveries, PINGREQ, DISCONNECT, and the keep-alive.
 * The handlers call the user's SPIs, which block, so this handler runs on an executor of its own (one thread per
 * connection at a time, in order), not on the channel's event loop. Its name in the pipeline is {@value #NAME}.
 */
final class MqttSession extends SimpleChannelInboundHandler<MqttMessage> implements SessionRegistry.Session {

    /** Its name in the channel's pipeline. */
    static final String NAME = "session";

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);

    private final Services services;
    /** The longest a connection may be silent, whatever its keep-alive. */
    private final Duration maxIdle;
    private ChannelHandlerContext ctx;
    private volatile Identity identity;
    private Outbox out;
    private TelemetryHandler telemetry;
    /** Most messages waiting for their acknowledgement at once, per connection. */
    static final int MAX_PENDING = 1024;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Completes when the last message received was acknowledged (or the connection failed). */
    private CompletableFuture<Void> acknowledged = DONE;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    /** A message was not taken: the connection closes, and nothing after it is acknowledged. */
    private volatile boolean failed;
    private TwinHandler twin;
    private MethodHandler methods;
    private CloudToDeviceHandler cloudToDevice;
    private IdentityHandler identities;
    private InputHandler inputs;
    /** Closes the connection when its SAS token expires; null if it has none. */
    private ScheduledFuture<?> tokenExpiry;

    /** @param maxIdle the longest a connection may be silent: with keep-alive 0, or a longer keep-alive */
    MqttSession(Services services, Duration maxIdle) {
        this.services = services;
        this.maxIdle = maxIdle;
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public java.net.SocketAddress remote() {
        ChannelHandlerContext c = ctx;
        return c == null ? null : c.channel().remoteAddress();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        DecoderResult result = msg.decoderResult();
        if (result.isFailure()) {
            LOG.warn("Closing {} from {}: malformed MQTT packet ({})", who(), ctx.channel().remoteAddress(),
                    result.cause().getMessage());
            ctx.close();
            return;
        }
        MqttMessageType type = msg.fixedHeader().messageType();
        if (identity == null && type != MqttMessageType.CONNECT) {
            LOG.warn("Closing a connection from {}: it sent {} before CONNECT", ctx.channel().remoteAddress(), type);
            ctx.close();
            return;
        }
        switch (type) {
            case CONNECT -> connect((MqttConnectMessage) msg);
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) msg);
            case PUBLISH -> publish((MqttPublishMessage) msg);
            case PUBACK -> acknowledged(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId());
            case PINGREQ -> ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> ctx.close();
            default -> {
                LOG.warn("Closing {}: unexpected {}", who(), type);
                ctx.close();
            }
        }
    }

    private void connect(MqttConnectMessage msg) {
        if (identity != null) {
            LOG.warn("Closing {}: a second CONNECT on one connection", who());
            ctx.close();
            return;
        }
        Optional<Identity> accepted = new ConnectHandler(services).connect(ctx, msg);
        if (accepted.isEmpty()) {
            return;
        }
        Identity who = accepted.get();
        out = new Outbox(ctx, who.toString());
        telemetry = new TelemetryHandler(who, services.acl(), services.telemetry());
        twin = new TwinHandler(who, services.twins(), out);
        methods = new MethodHandler(who, out);
        cloudToDevice = new CloudToDeviceHandler(who, services.cloudToDevice(), ctx, out);
        identities = new IdentityHandler(who, services.identities(), out);
        inputs = new InputHandler(who, services.inputs(), ctx, out);
        identity = who;
        ctx.pipeline().addBefore(NAME, "idle", new IdleStateHandler(idleMillis(msg.variableHeader()
                .keepAliveTimeSeconds()), 0, 0, TimeUnit.MILLISECONDS));
        services.sessions().connected(this);
        tokenExpiry = closeWhenTheTokenExpires(msg);
        ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false).build());
        LOG.info("{} connected from {}", who, ctx.channel().remoteAddress());
        if (who.kind() == Identity.Kind.CHILD_DEVICE) {
            // As edgeHub: a device behind a gateway gets its cloud-to-device messages without subscribing, since the
            // Azure IoT SDKs do not subscribe to them when they connect through a gateway (GatewayHostName).
            cloudToDevice.start();
        }
    }

    /**
     * As IoT Hub does, a connection opened with a SAS token ends when the token expires: the client connects again with
     * a new one, and a token that was revoked by changing the key stops working.
     *
     * @return the scheduled close, or null if the connection has no token
     */
    private ScheduledFuture<?> closeWhenTheTokenExpires(MqttConnectMessage msg) {
        byte[] password = msg.payload().passwordInBytes();
        Credentials credentials = new Credentials(services.hostName(), password == null ? null
                : new String(password, StandardCharsets.UTF_8), null);
        if (!credentials.hasSasToken()) {
            return null;
        }
        Instant expiry;
        try {
            expiry = credentials.sasToken().expiry();
        } catch (IllegalArgumentException e) {
            return null; // Let in by its authenticator without a readable token: nothing expires.
        }
        long delay = Math.max(0, Duration.between(Instant.now(), expiry).toMillis());
        return ctx.executor().schedule(() -> {
            LOG.info("Closing {}: its SAS token expired at {} (it connects again with a new one)", who(), expiry);
            ctx.close();
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * MQTT: the server may close a connection silent for one and a half keep-alive periods. Keep-alive 0 (never) and
     * longer keep-alives are held to the server's maximum, so that no connection is kept forever.
     */
    private long idleMillis(int keepAliveSeconds) {
        long asked = keepAliveSeconds * 1500L;
        return keepAliveSeconds <= 0 ? maxIdle.toMillis() : Math.min(asked, maxIdle.toMillis());
    }

    private void subscribe(MqttSubscribeMessage msg) {
        List<Integer> granted = new ArrayList<>();
        boolean startCloudToDevice = false;
        boolean startInputs = false;
        boolean watchScope = false;
        for (MqttTopicSubscription s : msg.payload().topicSubscriptions()) {
            String filter = s.topicName();
            if (services.acl().maySubscribe(identity, filter)) {
                MqttQoS qos = s.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE
                        : MqttQoS.AT_LEAST_ONCE;
                out.granted(filter, qos);
                granted.add(qos.value());
                startCloudToDevice |= filter.equals(cloudToDevice.filter());
                startInputs |= filter.equals(inputs.filter());
                watchScope |= filter.equals(IotHubTopic.SCOPE_CHANGES);
            } else {
                LOG.warn("{} may not subscribe to '{}'", identity, filter);
                granted.add(MqttQoS.FAILURE.value());
            }
        }
        ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), MqttMessageIdVariableHeader.from(msg.variableHeader().messageId()),
                new MqttSubAckPayload(granted)));
        if (startCloudToDevice) {
            cloudToDevice.start();
        }
        if (startInputs) {
            inputs.start();
        }
        if (watchScope) {
            identities.watchScope();
        }
    }

    /** A PUBACK: of an input message or of a cloud-to-device message (packet ids are the connection's own). */
    private void acknowledged(int packetId) {
        if (!inputs.acknowledged(packetId)) {
            cloudToDevice.acknowledged(packetId);
        }
    }

    private void unsubscribe(MqttUnsubscribeMessage msg) {
        msg.payload().topics().forEach(out::revoked);
        ctx.writeAndFlush(new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), MqttMessageIdVariableHeader.from(msg.variableHeader().messageId())));
    }

    private void publish(MqttPublishMessage msg) {
        String topic = msg.variableHeader().topicName();
        byte[] payload = new byte[msg.payload().readableBytes()];
        msg.payload().getBytes(msg.payload().readerIndex(), payload);
        CompletionStage<Void> taken = DONE;
        try {
            if (topic.startsWith("devices/")) {
                taken = telemetry.publish(topic, payload);
            } else if (topic.startsWith(IotHubTopic.IDENTITIES)) {
                identities.request(topic, payload);
            } else {
                IotHubTopic t = IotHubTopic.parse(topic).orElse(null);
                if (t instanceof IotHubTopic.TwinGet get) {
                    twin.get(get.rid());
                } else if (t instanceof IotHubTopic.ReportedPatch patch) {
                    twin.patchReported(patch.rid(), payload);
                } else if (t instanceof IotHubTopic.MethodResponse answer) {
                    methods.answered(answer, payload);
                } else {
                    LOG.warn("{} published to '{}', which is not an IoT Hub device topic; dropped", identity, topic);
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("{} published a malformed message on '{}': {}; dropped", identity, topic, e.getMessage());
        } catch (Exception e) {
            taken = CompletableFuture.failedFuture(e);
        }
        acknowledgeInOrder(msg, topic, taken);
    }

    /**
     * Acknowledges a message once it is taken and every message before it was acknowledged (MQTT wants PUBACKs in
     * the order of the PUBLISHes); closes the connection, acknowledging nothing more, if it was not taken, so the
     * client publishes it again. At most {@value #MAX_PENDING} wait at once: beyond, the session stops reading.
     */
    private void acknowledgeInOrder(MqttPublishMessage msg, String topic, CompletionStage<Void> taken) {
        boolean atLeastOnce = msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE;
        int packetId = msg.variableHeader().packetId();
        CompletableFuture<Throwable> outcome = taken.toCompletableFuture().handle((v, e) -> e);
        if (acknowledged.isDone() && outcome.isDone()) {
            acknowledge(atLeastOnce, packetId, topic, outcome.join());
            return;
        }
        pending.incrementAndGet();
        // The chain never fails: a failure closes the connection, and the steps after it do nothing.
        acknowledged = acknowledged.thenCompose(previous -> outcome).thenAccept(failure -> {
            pending.decrementAndGet();
            acknowledge(atLeastOnce, packetId, topic, failure);
        });
        if (pending.get() > MAX_PENDING) {
            // A client that sends faster than its messages are stored waits, as its TCP window fills.
            acknowledged.join();
        }
    }

    private void acknowledge(boolean atLeastOnce, int packetId, String topic, Throwable failure) {
        if (failed) {
            return;
        }
        if (failure != null) {
            failed = true;
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            // Not acknowledged: the client publishes it (and what it sent after it) again.
            LOG.warn("Could not take {}'s message on '{}' ({}); closing so that it is sent again", identity, topic,
                    cause.toString());
            ctx.close();
            return;
        }
        if (atLeastOnce) {
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId).build());
        }
    }

    /** Calls a method on the client; completes with its answer, 404 if it does not take calls, 504 on timeout. */
    CompletableFuture<MethodResult> invoke(String method, String payload, Duration timeout) {
        return methods.invoke(method, payload, timeout);
    }

    /** Sends a desired patch, if the client subscribed to them. */
    void desiredPatch(long version, String patch) {
        twin.desiredPatch(version, patch);
    }

    @Override
    public void close() {
        ctx.close();
    }

    /** Deliveries stop while the client does not read (its outbound buffer is full) and go on when it does. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (identity != null && ctx.channel().isWritable()) {
            cloudToDevice.resume();
            inputs.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.info("Closing {}: silent for longer than its keep-alive allows (at most {} s)", who(),
                    maxIdle.toSeconds());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Identity connected = identity;
        if (connected == null) {
            return;
        }
        services.sessions().disconnected(this);
        if (tokenExpiry != null) {
            tokenExpiry.cancel(false);
        }
        LOG.info("{} disconnected", connected);
        methods.close();
        // Unacknowledged cloud-to-device messages stay with the source for the next connection.
        cloudToDevice.close();
        inputs.close();
        telemetry.close();
        identities.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.util.concurrent.RejectedExecutionException) {
            // The server is stopping: its session threads are gone before the last connections are.
            LOG.debug("Closing {} as the server stops: {}", who(), cause.toString());
        } else {
            LOG.warn("Closing {}: {}", who(), cause.toString());
        }
        ctx.close();
    }

    private String who() {
        Identity i = identity;
        return i == null ? "an unauthenticated connection" : i.toString();
    }
}
