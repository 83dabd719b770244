/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;
import org.outpost.commons.Backoff;
import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child identity's connection to the hub (or the parent gateway), made on the gateway's behalf: client id
 * {@code C} or {@code B/m}, a new {@link HubLink#gatewayToken gateway token} at each connect. It connects with capped
 * back-off while the child is connected here, subscribes ({@link RelayOptions#filters}), and hands what arrives to its
 * {@link Receiver} on the relay's worker. Messages are acknowledged by hand: cloud-to-device messages only when the
 * child acknowledged them ({@link #ack}), the rest at once. It has no thread of its own: its connection runs on the
 * event loops all links share ({@link MqttConnection}), its logic on the relay's worker, which it never blocks.
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
    /** For the log before the first attempt. */
    private static final HubLink NO_HUB = new HubLink() {
        @Override
        public String deviceId() {
            return "(none)";
        }

        @Override
        public String url() {
            return "the hub";
        }

        @Override
        public String hubHostName() {
            return "";
        }

        @Override
        public Optional<javax.net.ssl.SSLSocketFactory> socketFactory() {
            return Optional.empty();
        }

        @Override
        public String gatewayToken(Duration validity) {
            throw new IllegalStateException("no link to the hub");
        }
    };

    private final Identity identity;
    private final Supplier<HubLink> hubs;
    /** The link of the last attempt (for the log); never null. */
    private volatile HubLink hub = NO_HUB;
    private final EventLoopGroup group;
    private final ScheduledExecutorService worker;
    private final Receiver receiver;
    private final Duration tokenValidity;
    private final Backoff backoff;
    private final PendingRequests requests = new PendingRequests();
    /** Counted down when it first comes up: a twin read just after the child connected waits for it. */
    private final CountDownLatch firstUp = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile boolean up;
    private volatile boolean downLogged;
    /** An attempt is under way (worker only): a second is not started. */
    private boolean connecting;
    private volatile Instant since = Instant.now();
    /** The connection now (null between connections); set on the worker. */
    private volatile MqttConnection connection;
    /** Counts connection attempts: a message carries the one of its connection. */
    private volatile int epoch;

    /**
     * @param hubs the link to the hub now: read at each attempt (null while the twins are not configured: the link
     *            waits with back-off)
     */
    RelayLink(Identity identity, Supplier<HubLink> hubs, EventLoopGroup group, ScheduledExecutorService worker,
            Receiver receiver, Backoff backoff, Duration tokenValidity) {
        this.identity = identity;
        this.hubs = hubs;
        this.group = group;
        this.worker = worker;
        this.receiver = receiver;
        this.backoff = backoff;
        this.tokenValidity = tokenValidity;
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

    private void later(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Relay of {}: the relay is stopping", identity);
        }
    }

    private void connect() {
        if (!running || connection != null || connecting) {
            return;
        }
        connecting = true;
        int attempt = ++epoch;
        HubLink now = hubs.get();
        if (now == null) {
            connecting = false;
            failed(new IllegalStateException("this gateway has no link to the hub: its twins are not configured ("
                    + "etc/org.outpost.twin.cfg)"));
            return;
        }
        hub = now;
        MqttConnection.Options o;
        try {
            // A new token at each connect, on the gateway's behalf (never logged).
            o = RelayOptions.connect(URI.create(hub.url()), hub, identity, tokenValidity);
        } catch (RuntimeException e) {
            connecting = false;
            failed(e);
            return;
        }
        MqttConnection.connect(group, o, new MqttConnection.Events() {
            @Override
            public void message(MqttConnection from, String topic, int packetId, byte[] body) {
                arrived(from, attempt, topic, packetId, body);
            }

            @Override
            public void lost(Throwable cause) {
                later(() -> lostConnection(attempt, cause));
            }
        }).whenComplete((c, e) -> later(() -> {
            connecting = false;
            if (e != null) {
                failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else if (!running || attempt != epoch) {
                // Closed or restarted while it connected.
                c.close();
                connect();
            } else {
                connection = c;
                subscribe(c, attempt);
            }
        }));
    }

    private void subscribe(MqttConnection c, int attempt) {
        String[] topics = RelayOptions.filters(identity);
        c.subscribe(topics).whenComplete((granted, e) -> later(() -> {
            if (attempt != epoch || connection != c) {
                return;
            }
            if (e != null) {
                failed(e);
                return;
            }
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < granted.length && i < topics.length; i++) {
                if (granted[i] == 0x80) {
                    refused.add(topics[i]);
                }
            }
            if (refused.stream().anyMatch(f -> f.startsWith("$iothub/"))) {
                failed(new IllegalStateException("the hub refused the subscriptions " + refused));
                return;
            }
            if (!refused.isEmpty()) {
                LOG.warn("Relay of {}: the hub refused the subscriptions {}; relaying the rest", identity, refused);
            }
            online();
        }));
    }

    private void online() {
        up = true;
        since = Instant.now();
        downLogged = false;
        backoff.reset();
        LOG.info("Relay of {} connected to {} on behalf of gateway {}", identity, hub.url(), hub.deviceId());
        firstUp.countDown();
        receiver.online(this, epoch);
    }

    private void failed(Throwable e) {
        MqttConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        if (!running) {
            return;
        }
        long delay = backoff.nextDelayMs();
        String why = e instanceof MqttConnection.Refused r && r.credentials() ? "refused on behalf of gateway "
                + hub.deviceId() + " (is " + identity.deviceId() + " below it at the hub, and enabled?)"
                : e.getMessage() == null ? e.toString() : e.getMessage();
        if (downLogged) {
            LOG.debug("Relay of {}: cannot connect to {}: {}; trying again in {} ms", identity, hub.url(), why,
                    delay);
        } else {
            downLogged = true;
            LOG.warn("Relay of {}: cannot connect to {}: {}; trying again with back-off while the child is"
                    + " connected", identity, hub.url(), why);
        }
        worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void lostConnection(int attempt, Throwable cause) {
        if (attempt != epoch) {
            return;
        }
        boolean wasUp = up;
        up = false;
        since = Instant.now();
        connection = null;
        requests.failAll();
        if (!running) {
            return;
        }
        if (wasUp) {
            LOG.warn("Relay of {} lost its connection to {} ({}); reconnecting with back-off", identity, hub.url(),
                    cause.getMessage());
            downLogged = true;
            receiver.offline(this);
        }
        worker.schedule(this::connect, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
    }

    /** The link to the hub changed: drops the connection and connects again, where the link says now. */
    void restart() {
        later(() -> {
            epoch++;
            boolean wasUp = up;
            up = false;
            since = Instant.now();
            requests.failAll();
            MqttConnection c = connection;
            connection = null;
            if (c != null) {
                c.close();
            }
            if (wasUp) {
                receiver.offline(this);
            }
            backoff.reset();
            connect();
        });
    }

    /** On the connection's event loop. */
    private void arrived(MqttConnection from, int attempt, String topic, int packetId, byte[] payload) {
        IotHubTopic t;
        try {
            t = IotHubTopic.parse(topic).orElse(null);
        } catch (IllegalArgumentException e) {
            t = null;
        }
        if (t instanceof IotHubTopic.CloudToDevice c2d) {
            later(() -> receiver.cloudToDevice(this, attempt, c2d, packetId, payload));
            return;
        }
        from.ack(packetId);
        if (t == null) {
            LOG.debug("Relay of {}: ignoring '{}' from the hub", identity, topic);
            return;
        }
        String body = new String(payload, StandardCharsets.UTF_8);
        if (t instanceof IotHubTopic.TwinResponse r && requests.answered(r.rid(), r.status(), body)
                || t instanceof IotHubTopic.IdentityResponse r2 && requests.answered(r2.rid(), r2.status(), body)) {
            return;
        }
        IotHubTopic parsed = t;
        later(() -> receiver.received(this, parsed, body));
    }

    /** Acknowledges a cloud-to-device message to the hub, if the connection it came on is still up. */
    void ack(int atEpoch, int messageId) {
        MqttConnection c = connection;
        if (atEpoch != epoch || c == null || !c.isOpen()) {
            LOG.debug("Relay of {}: the connection of message {} is gone; the hub sends it again", identity,
                    messageId);
            return;
        }
        c.ack(messageId);
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

    /** Sends a message at QoS 1; its answer, if any, comes to the {@link Receiver} or a waiting {@link #request}. */
    boolean publish(String topic, String body) {
        MqttConnection c = connection;
        return up && c != null && c.publish(topic, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Disconnects and stops reconnecting; its requests waiting fail at once. */
    void close() {
        running = false;
        up = false;
        since = Instant.now();
        requests.failAll();
        MqttConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        // One connecting now is closed when it completes (running is false).
    }
}
