/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);

    private final Identity identity;
    private final HubLink hub;
    private final ScheduledExecutorService worker;
    private final Receiver receiver;
    private final Duration tokenValidity;
    private final MqttAsyncClient client;
    private final Backoff backoff;
    private final PendingRequests requests = new PendingRequests();
    private volatile boolean running = true;
    private volatile boolean up;
    private volatile boolean downLogged;
    private volatile Instant since = Instant.now();
    private volatile int epoch;
    /** Counted down when it first comes up: a twin read just after the child connected waits for it. */
    private final CountDownLatch firstUp = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();

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

    /**
     * Waits for the first connection, if it is still being made and began less than {@code wait} ago (the child's
     * first twin read comes right after it connected, before its relay is up).
     *
     * @return whether it is up
     */
    boolean awaitFirstUp(Duration wait) {
        long left = wait.toNanos() - (System.nanoTime() - startedNanos);
        if (up || left <= 0 || firstUp.getCount() == 0) {
            return up;
        }
        try {
            firstUp.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        try {
            MqttConnectOptions o = RelayOptions.connect(hub, identity, tokenValidity);
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
        String[] topics = RelayOptions.filters(identity);
        int[] qos = new int[topics.length];
        Arrays.fill(qos, 1);
        try {
            client.subscribe(topics, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    List<String> refused = new ArrayList<>();
                    for (int i = 0; granted != null && i < granted.length && i < topics.length; i++) {
                        if (granted[i] == 0x80) {
                            refused.add(topics[i]);
                        }
                    }
                    if (refused.stream().anyMatch(f -> f.startsWith("$iothub/"))) {
                        worker.execute(() -> failed(new IllegalStateException("the hub refused the subscriptions "
                                + refused)));
                        return;
                    }
                    if (!refused.isEmpty()) {
                        LOG.warn("Relay of {}: the hub refused the subscriptions {}; relaying the rest", identity,
                                refused);
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
        firstUp.countDown();
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
        requests.failAll();
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
        if (t instanceof IotHubTopic.TwinResponse r && requests.answered(r.rid(), r.status(), body)
                || t instanceof IotHubTopic.IdentityResponse r2 && requests.answered(r2.rid(), r2.status(), body)) {
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
        return requests.rid();
    }

    /**
     * Sends a request and waits for its answer (on the caller's thread; nothing is locked).
     *
     * @param topic the request's topic, with {@code rid}
     * @return the answer, or empty if not connected or there is none within {@code wait}
     */
    Optional<PendingRequests.Answer> request(String rid, String topic, String body, Duration wait) {
        return requests.await(rid, () -> publish(topic, body), wait);
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

    /** Disconnects and stops reconnecting; its requests waiting fail at once. */
    void close() {
        running = false;
        up = false;
        since = Instant.now();
        requests.failAll();
        try {
            if (!client.isConnected()) {
                closeClient();
                return;
            }
            IMqttActionListener then = new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    closeClient();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    closeClient();
                }
            };
            client.disconnect(0, null, then);
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
