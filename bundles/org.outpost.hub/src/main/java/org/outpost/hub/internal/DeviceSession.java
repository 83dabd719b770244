/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
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
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.outpost.broker.api.MqttAddresses;
import org.outpost.hub.api.Methods;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device (or module) connection to the hub's IoT Hub endpoint, on its Netty channel: authenticates the CONNECT,
 * grants subscriptions to the device's own IoT Hub topics, stores telemetry in the broker before it acknowledges it,
 * answers twin requests, and pushes desired patches. Twin and store calls block, so this handler runs on an executor
 * of its own (one thread per connection at a time, in order), not on the channel's event loop.
 */
final class DeviceSession extends SimpleChannelInboundHandler<MqttMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);

    private final IotHubServer server;
    /** Granted filters and their QoS. */
    private final Map<String, MqttQoS> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger packetIds = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<String, CompletableFuture<Methods.Result>> pendingMethods = new ConcurrentHashMap<>();
    private ChannelHandlerContext ctx;
    private String deviceId;
    private String moduleId;
    private String identity;
    private ClientSession store;
    private ClientProducer producer;
    private boolean startCloudToDevice;
    /** Stops hearing of the device's new cloud-to-device messages; null until it subscribes to them. */
    private Runnable stopCloudToDevice;
    /** Cloud-to-device messages sent and not yet acknowledged: their seq by packet id. */
    private final Map<Integer, Long> inFlight = new ConcurrentHashMap<>();
    /** The last cloud-to-device message sent on this connection (the next are after it). */
    private long lastSent;
    /** At most this many cloud-to-device messages wait for their PUBACK at once. */
    private static final int C2D_IN_FLIGHT = 16;

    DeviceSession(IotHubServer server) {
        this.server = server;
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
            case PUBACK -> acknowledged(((MqttPubAckMessage) msg).variableHeader().messageId());
            case PINGREQ -> ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> ctx.close();
            default -> {
                LOG.warn("Closing {}: unexpected {}", who(), type);
                ctx.close();
            }
        }
    }

    // ---- CONNECT

    private void connect(MqttConnectMessage msg) {
        if (identity != null) {
            LOG.warn("Closing {}: a second CONNECT on one connection", who());
            ctx.close();
            return;
        }
        String remote = String.valueOf(ctx.channel().remoteAddress());
        if (msg.variableHeader().version() != 4) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "MQTT version "
                    + msg.variableHeader().version() + " (this endpoint speaks 3.1.1)", remote);
            return;
        }
        String clientId = msg.payload().clientIdentifier();
        String[] ids = clientId == null ? new String[0] : clientId.split("/");
        if (ids.length < 1 || ids.length > 2 || ids[0].isEmpty()) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id '" + clientId
                    + "' is not <deviceId> or <deviceId>/<moduleId>", remote);
            return;
        }
        String device = ids[0];
        String module = ids.length == 2 ? ids[1] : null;
        String host = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : remote;
        Duration wait = server.authLimiter().blocked(host);
        if (!wait.isZero()) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "too many failed authentications from "
                    + host + "; it may try again in " + Math.max(1, wait.toSeconds()) + " s", remote);
            return;
        }
        String password = msg.payload().passwordInBytes() == null ? null
                : new String(msg.payload().passwordInBytes(), StandardCharsets.UTF_8);
        String why = authenticate(device, module, password);
        if (why != null) {
            server.authLimiter().failed(host);
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, why, remote);
            return;
        }
        deviceId = device;
        moduleId = module;
        identity = clientId;
        server.devices().seen(device);
        int keepAlive = msg.variableHeader().keepAliveTimeSeconds();
        if (keepAlive > 0) {
            // MQTT: the server may close a connection silent for one and a half keep-alive periods.
            ctx.pipeline().addBefore("session", "idle", new IdleStateHandler(keepAlive * 3L / 2, 0, 0,
                    TimeUnit.SECONDS));
        }
        server.connected(identity, this);
        ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false).build());
        LOG.info("{} connected from {}", identity, remote);
    }

    /** @return null if the password is the device's key or a valid SAS token for it, else why not (no secrets) */
    private String authenticate(String device, String module, String password) {
        if (server.devices().device(device).isEmpty()) {
            return "no device '" + device + "' is registered";
        }
        if (!server.devices().enabled(device)) {
            return "device '" + device + "' is disabled (hub:device-enable " + device + " lets it in again)";
        }
        if (password == null || password.isEmpty()) {
            java.security.cert.X509Certificate certificate = clientCertificate();
            if (certificate == null) {
                return "no password and no client certificate (give a SAS token, or connect over TLS with the"
                        + " device's X.509 certificate)";
            }
            try {
                certificate.checkValidity();
            } catch (java.security.cert.CertificateException e) {
                return "the client certificate is not valid now (" + e.getMessage() + ")";
            }
            String registered = server.devices().thumbprint(device).orElse(null);
            if (registered == null) {
                return "a client certificate, but the device has no thumbprint registered (hub:device-create"
                        + " --thumbprint)";
            }
            return registered.equals(thumbprint(certificate, registered.length() == 40 ? "SHA-1" : "SHA-256")) ? null
                    : "the client certificate's thumbprint is not the device's";
        }
        if (!password.startsWith("SharedAccessSignature ")) {
            return server.devices().verify(device, password) ? null : "wrong device key";
        }
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String key = server.devices().key(device).orElse(null);
        String secondary = server.devices().secondaryKey(device).orElse(null);
        if (key == null && secondary == null) {
            return "the device's key predates SAS support on this hub: rotate it (hub:device-create --rotate)";
        }
        String resource = server.hostName() + "/devices/" + device + (module == null ? "" : "/modules/" + module);
        Instant now = Instant.now();
        SasToken.Check check = key == null ? SasToken.Check.BAD_SIGNATURE : token.check(resource, key, now);
        if (check == SasToken.Check.BAD_SIGNATURE && secondary != null) {
            // Signed with the secondary key, as a device is while its primary key is rotated.
            check = token.check(resource, secondary, now);
        }
        return switch (check) {
            case VALID -> null;
            case EXPIRED -> "SAS token expired at " + token.expiry();
            case WRONG_RESOURCE -> "SAS token is for '" + token.resource() + "', not " + resource;
            case BAD_SIGNATURE -> "SAS token signature does not match the device key";
        };
    }

    /** @return the certificate the client presented in the TLS handshake, or null (no TLS, or none presented) */
    private java.security.cert.X509Certificate clientCertificate() {
        io.netty.handler.ssl.SslHandler tls = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x ? x : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return null;
        }
    }

    /** @return the certificate's thumbprint, upper-case hex */
    static String thumbprint(java.security.cert.X509Certificate certificate, String algorithm) {
        try {
            return java.util.HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest
                    .getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot take the " + algorithm + " thumbprint: " + e.getMessage(), e);
        }
    }

    private void refuse(MqttConnectReturnCode code, String why, String remote) {
        // The reason is logged here, never the password or token.
        LOG.warn("Refused a connection from {}: {}", remote, why);
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(ack).addListener(f -> ctx.close());
    }

    // ---- SUBSCRIBE

    private void subscribe(MqttSubscribeMessage msg) {
        List<Integer> granted = new ArrayList<>();
        for (MqttTopicSubscription s : msg.payload().topicSubscriptions()) {
            String filter = s.topicName();
            if (allowed(filter)) {
                MqttQoS qos = s.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE
                        : MqttQoS.AT_LEAST_ONCE;
                subscriptions.put(filter, qos);
                granted.add(qos.value());
                if (filter.equals(IotHubTopic.CloudToDevice.filter(deviceId))) {
                    startCloudToDevice = true;
                }
            } else {
                LOG.warn("{} may not subscribe to '{}'", identity, filter);
                granted.add(MqttQoS.FAILURE.value());
            }
        }
        ctx.writeAndFlush(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), MqttMessageIdVariableHeader.from(msg.variableHeader().messageId()),
                new MqttSubAckPayload(granted)));
        if (startCloudToDevice) {
            startCloudToDevice = false;
            startCloudToDevice();
        }
    }

    // ---- cloud-to-device messages

    /**
     * Delivers the device's waiting and new cloud-to-device messages, in order, up to {@value #C2D_IN_FLIGHT} at a
     * time; each is deleted only when the device acknowledges it (PUBACK). What is unacknowledged when the connection
     * ends is delivered again next time. New messages, stored through any hub node, are sent as they arrive.
     */
    private synchronized void startCloudToDevice() {
        if (stopCloudToDevice != null || !ctx.channel().isActive()) {
            return;
        }
        stopCloudToDevice = server.cloudToDevice().onMessage(id -> {
            if (id.equals(deviceId)) {
                ctx.executor().execute(this::sendCloudToDevice);
            }
        });
        sendCloudToDevice();
    }

    private synchronized void sendCloudToDevice() {
        if (stopCloudToDevice == null || !ctx.channel().isActive() || inFlight.size() >= C2D_IN_FLIGHT) {
            return;
        }
        List<C2dStore.Message> next;
        try {
            next = server.cloudToDevice().waiting(deviceId, lastSent, C2D_IN_FLIGHT - inFlight.size());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the cloud-to-device messages of {} (sent when it reconnects): {}", identity,
                    e.getMessage());
            return;
        }
        for (C2dStore.Message m : next) {
            int id = nextPacketId();
            inFlight.put(id, m.seq());
            lastSent = m.seq();
            ctx.writeAndFlush(MqttMessageBuilders.publish().topicName("devices/" + deviceId
                    + "/messages/devicebound/" + m.bag()).qos(MqttQoS.AT_LEAST_ONCE).messageId(id).retained(false)
                    .payload(Unpooled.wrappedBuffer(m.body())).build());
        }
    }

    private void acknowledged(int packetId) {
        Long seq = inFlight.remove(packetId);
        if (seq == null) {
            return;
        }
        try {
            server.cloudToDevice().delivered(seq);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove a delivered cloud-to-device message of {}: {}; it may come again", identity,
                    e.getMessage());
        }
        sendCloudToDevice();
    }

    private boolean allowed(String filter) {
        return filter.equals(IotHubTopic.TWIN_RESPONSES) || filter.equals(IotHubTopic.DESIRED_PATCHES)
                || filter.equals(IotHubTopic.METHOD_CALLS)
                || moduleId == null && filter.equals(IotHubTopic.CloudToDevice.filter(deviceId));
    }

    private void unsubscribe(MqttUnsubscribeMessage msg) {
        msg.payload().topics().forEach(subscriptions::remove);
        ctx.writeAndFlush(new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false,
                MqttQoS.AT_MOST_ONCE, false, 0), MqttMessageIdVariableHeader.from(msg.variableHeader().messageId())));
    }

    // ---- PUBLISH from the device

    private void publish(MqttPublishMessage msg) {
        String topic = msg.variableHeader().topicName();
        byte[] payload = new byte[msg.payload().readableBytes()];
        msg.payload().getBytes(msg.payload().readerIndex(), payload);
        try {
            if (topic.startsWith("devices/")) {
                telemetry(topic, payload);
            } else {
                IotHubTopic t = IotHubTopic.parse(topic).orElse(null);
                if (t instanceof IotHubTopic.TwinGet get) {
                    twinGet(get.rid());
                } else if (t instanceof IotHubTopic.ReportedPatch patch) {
                    reportedPatch(patch.rid(), payload);
                } else if (t instanceof IotHubTopic.MethodResponse answer) {
                    methodAnswered(answer, payload);
                } else {
                    LOG.warn("{} published to '{}', which is not an IoT Hub device topic; dropped", identity, topic);
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("{} published a malformed message on '{}': {}; dropped", identity, topic, e.getMessage());
        } catch (Exception e) {
            // Not acknowledged: the device publishes it again.
            LOG.warn("Could not take {}'s message on '{}' ({}); closing so that it is sent again", identity, topic,
                    e.toString());
            ctx.close();
            return;
        }
        if (msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(msg.variableHeader().packetId()).build());
        }
    }

    /** Stores telemetry in the broker (durably) where the hub's ingestion reads it. */
    private void telemetry(String topic, byte[] payload) throws Exception {
        TelemetryTopic t = TelemetryTopic.parse(topic).orElseThrow(() -> new IllegalArgumentException(
                "not a telemetry topic"));
        if (!t.deviceId().equals(deviceId) || moduleId != null && !moduleId.equals(t.moduleId())) {
            throw new IllegalArgumentException("it names device '" + t.deviceId() + "'" + (t.moduleId() == null ? ""
                    : " module '" + t.moduleId() + "'") + ", not the connected identity " + identity);
        }
        synchronized (this) {
            if (store == null) {
                store = server.brokerSessions().createSession(true, true);
                producer = store.createProducer();
            }
            ClientMessage m = store.createMessage(Message.BYTES_TYPE, true);
            m.getBodyBuffer().writeBytes(payload);
            producer.send(MqttAddresses.address(topic), m);
        }
    }

    private void twinGet(String rid) {
        TwinDocument twin = server.twins().twin(deviceId, moduleId);
        send(IotHubTopic.TWIN_RESPONSES, new IotHubTopic.TwinResponse(200, rid, null).format(), twin.toJson());
    }

    private void reportedPatch(String rid, byte[] payload) {
        try {
            TwinDocument twin = server.twins().patchReported(deviceId, moduleId, new String(payload,
                    StandardCharsets.UTF_8));
            send(IotHubTopic.TWIN_RESPONSES, new IotHubTopic.TwinResponse(204, rid, twin.reportedVersion()).format(),
                    "");
        } catch (TwinException e) {
            LOG.warn("Refused a reported patch of {}: {}", identity, e.getMessage());
            send(IotHubTopic.TWIN_RESPONSES, new IotHubTopic.TwinResponse(400, rid, null).format(),
                    IotHubServer.message(e.getMessage()));
        }
    }

    // ---- to the device

    private void methodAnswered(IotHubTopic.MethodResponse answer, byte[] payload) {
        CompletableFuture<Methods.Result> f = pendingMethods.remove(answer.rid());
        if (f == null) {
            LOG.info("{} answered method request {} after its timeout, or one it was not sent", identity,
                    answer.rid());
            return;
        }
        f.complete(new Methods.Result(answer.status(), payload.length == 0 ? "null"
                : new String(payload, StandardCharsets.UTF_8)));
    }

    /** Calls a method on the device; completes with its answer, 404 if it does not take calls, 504 on timeout. */
    CompletableFuture<Methods.Result> invoke(String method, String payload, java.time.Duration timeout) {
        if (!subscriptions.containsKey(IotHubTopic.METHOD_CALLS)) {
            return CompletableFuture.completedFuture(new Methods.Result(404, IotHubServer.message(identity
                    + " is connected but not subscribed to " + IotHubTopic.METHOD_CALLS)));
        }
        String rid = Long.toHexString(requestIds.incrementAndGet());
        CompletableFuture<Methods.Result> f = new CompletableFuture<>();
        pendingMethods.put(rid, f);
        f.completeOnTimeout(new Methods.Result(504, IotHubServer.message(identity + " did not answer " + method
                + " within " + timeout.toSeconds() + " s")), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pendingMethods.remove(rid));
        send(IotHubTopic.METHOD_CALLS, new IotHubTopic.MethodCall(method, rid).format(), payload);
        return f;
    }

    /** Sends a desired patch, if the device subscribed to them. */
    void desiredPatch(long version, String patch) {
        send(IotHubTopic.DESIRED_PATCHES, new IotHubTopic.DesiredPatch(version).format(), patch);
    }

    /**
     * Publishes to the device if it subscribed with {@code filter}, at the QoS it was granted. Deliveries are not
     * redelivered: a device that misses one asks again (twin GET), as IoT Hub devices do after a reconnect.
     */
    private void send(String filter, String topic, String body) {
        MqttQoS qos = subscriptions.get(filter);
        if (qos == null) {
            LOG.debug("Not sending '{}' to {}: it did not subscribe to {}", topic, identity, filter);
            return;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(nextPacketId())
                .retained(false).payload(payload).build());
    }

    private int nextPacketId() {
        return packetIds.updateAndGet(i -> i >= 65535 ? 1 : i + 1);
    }

    void close() {
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.info("Closing {}: silent for longer than its keep-alive", who());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (identity != null) {
            server.disconnected(identity, this);
            LOG.info("{} disconnected", identity);
        }
        pendingMethods.values().forEach(f -> f.complete(new Methods.Result(404, IotHubServer.message(identity
                + " disconnected before it answered"))));
        synchronized (this) {
            if (stopCloudToDevice != null) {
                // Unacknowledged cloud-to-device messages stay stored for the next connection.
                stopCloudToDevice.run();
                stopCloudToDevice = null;
            }
            if (store != null) {
                try {
                    store.close();
                } catch (Exception e) {
                    LOG.debug("Closing the broker session of {}: {}", identity, e.toString());
                }
                store = null;
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("Closing {}: {}", who(), cause.toString());
        ctx.close();
    }

    private String who() {
        return identity == null ? "an unauthenticated connection" : identity;
    }
}
