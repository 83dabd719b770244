/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.commons.Backoff;
import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child identity's connection to the hub (or the parent gateway), made on the gateway's behalf: client id
 * {@code C} or {@code B/m}, a new {@link HubLink#gatewayToken gateway token} at each connect. It connects with capped
 * back-off while the child is connected here, subscribes to the twin answers, desired patches, method calls, the
 * identity registry's answers and (for a device) its cloud-to-device messages, and hands what arrives to its
 * {@link Receiver} on the relay's worker. Messages are acknowledged by hand: cloud-to-device messages only when the
 * child acknowledged them ({@link #ack}), the rest at once. Never blocks the worker: connecting and subscribing are
 * asynchronous, publishing only queues.
 */
final class RelayLink {

    /** What arrives, on the relay's worker. */
    interface Receiver {
        /** The connection is up and subscribed ({@code epoch} counts connections). */
        void online(RelayLink link, int epoch);

        /** The connection is lost (it reconnects by itself). */
        void offline(RelayLink link);

        /** A twin answer, method call or desired patch (acknowledged already). */
        void received(RelayLink link, IotHubTopic topic, String body);

        /** A cloud-to-device message (acknowledged through {@link #ack} only). */
        void cloudToDevice(RelayLink link, int epoch, IotHubTopic.CloudToDevice topic, int messageId, byte[] body);
    }

    /** An answer to a request: status and body. */
    record Answer(int status, String body) {
    }

    static final String API_VERSION = "2021-04-12";
    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);

    private final Identity identity;
    private final HubLink hub;
    private final ScheduledExecutorService worker;
    private final Receiver receiver;
    private final Duration tokenValidity;
    private final MqttAsyncClient client;
    private final Backoff backoff;
    private final AtomicLong rids = new AtomicLong();
    private final Map<String, CompletableFuture<Answer>> requests = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean up;
    private volatile boolean downLogged;
    private volatile Instant since = Instant.now();
    private volatile int epoch;

    RelayLink(Identity identity, HubLink hub, PahoExecutor paho, ScheduledExecutorService worker, Receiver receiver,
            Backoff backoff, Duration tokenValidity) throws MqttException {
        this.identity = identity;
        this.hub = hub;
        this.worker = worker;
        this.receiver = receiver;
        this.backoff = backoff;
        this.tokenValidity = tokenValidity;
        this.client = new MqttAsyncClient(hub.url(), identity.id(), new MemoryPersistence(),
                new ScheduledExecutorPingSender(paho), paho);
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    Identity identity() {
        return identity;
    }

    /** @return whether it is connected and subscribed now */
    boolean up() {
        return up;
    }

    /** @return when it last came up or went down */
    Instant since() {
        return since;
    }

    /** Starts connecting (on the worker). */
    void start() {
        worker.execute(this::connect);
    }

    private void connect() {
        if (!running || client.isConnected()) {
            return;
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setKeepAliveInterval(60);
        o.setConnectionTimeout(10);
        o.setMaxInflight(64);
        o.setAutomaticReconnect(false);
        hub.socketFactory().ifPresent(o::setSocketFactory);
        o.setUserName(hub.hubHostName() + "/" + identity.id() + "/?api-version=" + API_VERSION);
        try {
            // A new token at each connect, on the gateway's behalf (never logged).
            o.setPassword(hub.gatewayToken(tokenValidity).toCharArray());
            client.connect(o, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // Before any subscription: messages of this connection carry its epoch.
                    epoch++;
                    subscribe();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    worker.execute(() -> failed(e));
                }
            });
        } catch (MqttException | RuntimeException e) {
            failed(e);
        }
    }

    private void subscribe() {
        String[] filters = identity.moduleId() == null
                ? new String[] {IotHubTopic.TWIN_RESPONSES, IotHubTopic.DESIRED_PATCHES, IotHubTopic.METHOD_CALLS,
                    IotHubTopic.IDENTITY_RESPONSES, IotHubTopic.CloudToDevice.filter(identity.deviceId())}
                : new String[] {IotHubTopic.TWIN_RESPONSES, IotHubTopic.DESIRED_PATCHES, IotHubTopic.METHOD_CALLS,
                    IotHubTopic.IDENTITY_RESPONSES};
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    if (granted != null && java.util.Arrays.stream(granted).anyMatch(g -> g == 0x80)) {
                        worker.execute(() -> failed(new IllegalStateException("the hub refused a subscription ("
                                + String.join(", ", filters) + ")")));
                        return;
                    }
                    worker.execute(RelayLink.this::online);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    worker.execute(() -> failed(e));
                }
            });
        } catch (MqttException e) {
            worker.execute(() -> failed(e));
        }
    }

    private void online() {
        if (!running) {
            // Closed while it was connecting.
            closeClient();
            return;
        }
        up = true;
        since = Instant.now();
        downLogged = false;
        backoff.reset();
        LOG.info("Relay of {} connected to {} on behalf of gateway {}", identity, hub.url(), hub.deviceId());
        receiver.online(this, epoch);
    }

    private void failed(Throwable e) {
        if (!running) {
            return;
        }
        long delay = backoff.nextDelayMs();
        String why = e instanceof MqttException m && (m.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED
                || m.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION)
                        ? "refused on behalf of gateway " + hub.deviceId() + " (is " + identity.deviceId()
                                + " below it at the hub, and enabled?)"
                        : e.getMessage() == null ? e.toString() : e.getMessage();
        if (downLogged) {
            LOG.debug("Relay of {}: cannot connect to {}: {}; trying again in {} ms", identity, hub.url(), why,
                    delay);
        } else {
            downLogged = true;
            LOG.warn("Relay of {}: cannot connect to {}: {}; trying again with back-off while the child is"
                    + " connected", identity, hub.url(), why);
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000);
            }
        } catch (MqttException ignored) {
            LOG.debug("Relay of {}: closing a half-open connection: {}", identity, ignored.toString());
        }
        worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void lost(Throwable cause) {
        up = false;
        since = Instant.now();
        failRequests();
        if (!running) {
            return;
        }
        LOG.warn("Relay of {} lost its connection to {} ({}); reconnecting with back-off", identity, hub.url(),
                cause == null ? "closed" : cause.toString());
        downLogged = true;
        worker.execute(() -> receiver.offline(this));
        worker.schedule(this::connect, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
    }

    private void arrived(String topic, MqttMessage message) {
        String body = new String(message.getPayload(), StandardCharsets.UTF_8);
        IotHubTopic t;
        try {
            t = IotHubTopic.parse(topic).orElse(null);
        } catch (IllegalArgumentException e) {
            t = null;
        }
        if (t instanceof IotHubTopic.CloudToDevice c2d) {
            int at = epoch;
            byte[] payload = message.getPayload();
            worker.execute(() -> receiver.cloudToDevice(this, at, c2d, message.getId(), payload));
            return;
        }
        ackNow(message);
        if (t == null) {
            LOG.debug("Relay of {}: ignoring '{}' from the hub", identity, topic);
            return;
        }
        String rid = t instanceof IotHubTopic.TwinResponse r ? r.rid()
                : t instanceof IotHubTopic.IdentityResponse r ? r.rid() : null;
        CompletableFuture<Answer> waiting = rid == null ? null : requests.remove(rid);
        if (waiting != null) {
            waiting.complete(new Answer(t instanceof IotHubTopic.TwinResponse r ? r.status()
                    : ((IotHubTopic.IdentityResponse) t).status(), body));
            return;
        }
        IotHubTopic parsed = t;
        worker.execute(() -> receiver.received(this, parsed, body));
    }

    private void ackNow(MqttMessage message) {
        if (message.getQos() == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.debug("Relay of {}: cannot acknowledge message {}: {}", identity, message.getId(), e.toString());
        }
    }

    /** Acknowledges a cloud-to-device message to the hub, if the connection it came on is still up. */
    void ack(int atEpoch, int messageId) {
        if (atEpoch != epoch || !client.isConnected()) {
            LOG.debug("Relay of {}: the connection of message {} is gone; the hub sends it again", identity,
                    messageId);
            return;
        }
        try {
            client.messageArrivedComplete(messageId, 1);
        } catch (MqttException e) {
            LOG.debug("Relay of {}: cannot acknowledge message {}: {}", identity, messageId, e.toString());
        }
    }

    /** @return the next request id */
    String rid() {
        return Long.toString(rids.incrementAndGet());
    }

    /**
     * Sends a request and waits for its answer (on the caller's thread; nothing is locked).
     *
     * @param topic the request's topic, with {@code rid}
     * @return the answer, or empty if not connected or there is none within {@code wait}
     */
    Optional<Answer> request(String rid, String topic, String body, Duration wait) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        requests.put(rid, answer);
        try {
            if (!publish(topic, body)) {
                return Optional.empty();
            }
            return Optional.of(answer.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } finally {
            requests.remove(rid);
        }
    }

    /** Sends a request whose answer comes to the {@link Receiver} (a reported patch). */
    boolean publish(String topic, String body) {
        if (!up) {
            return false;
        }
        try {
            client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
            return true;
        } catch (MqttException e) {
            LOG.debug("Relay of {}: cannot send '{}': {}", identity, topic, e.getMessage());
            return false;
        }
    }

    private void failRequests() {
        requests.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection lost")));
        requests.clear();
    }

    /** Disconnects and stops reconnecting; its requests waiting fail at once. */
    void close() {
        running = false;
        up = false;
        since = Instant.now();
        failRequests();
        try {
            if (client.isConnected()) {
                client.disconnect(0, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        closeClient();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        closeClient();
                    }
                });
            } else {
                closeClient();
            }
        } catch (MqttException e) {
            closeClient();
        }
    }

    private void closeClient() {
        try {
            client.close(true);
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(0, 1000);
                client.close(true);
            } catch (MqttException again) {
                LOG.debug("Relay of {}: closing: {}", identity, again.toString());
            }
        }
    }
}
