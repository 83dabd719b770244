/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.broker.api.Broker;
import org.outpost.commons.DaemonThreads;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the upstream endpoint queue into the cloud, on a thread of its own that owns the broker session. Up to
 * {@code max.inflight} messages are published at once; a message leaves the queue only after the cloud acknowledged
 * it (PUBACK at QoS 1). When the connection breaks or a publish fails, the session is closed, so every message not yet
 * acknowledged goes back to the head of the queue, in order, and is published again once the cloud is connected:
 * nothing is lost, and order is kept (a message the cloud had acknowledged just before the break may arrive twice).
 */
final class QueueDrain implements AutoCloseable {

    /** The cloud as the drain sees it; {@link UpstreamLink} is it. */
    interface Cloud {
        /** @return the connection to publish into now, or {@code null} while there is none */
        Publisher publisher();

        /** Waits, at most {@code ms}, until the cloud is connected. */
        void awaitConnected(long ms) throws InterruptedException;

        /** Reports an error in the upstream's status. */
        void failed(String error);

        /** @return the upstream settings now (topic, QoS, max in flight) */
        UpstreamSettings settings();
    }

    /** One connection to the cloud. */
    interface Publisher {
        boolean isConnected();

        /** Publishes; unless it throws, {@code done} is told once whether the cloud acknowledged it. */
        void publish(String topic, MqttMessage message, IMqttActionListener done) throws MqttException;
    }

    static final String QUEUE = "outpost.endpoint.upstream";
    private static final Logger LOG = LoggerFactory.getLogger(QueueDrain.class);
    private static final long POLL_MS = 50;
    private static final int CONSUMER_WINDOW_BYTES = 64 * 1024;

    /** A message published to the cloud and not yet acknowledged by it. */
    private record InFlight(ClientMessage message, ClientSession session, Semaphore places, String from, int priority,
            long startNanos) {
    }

    private final Broker broker;
    private final Cloud cloud;
    private final Supplier<String> deviceId;
    private final Predicate<String> below;
    private final Metrics metrics;
    /** Devices whose dropped messages were logged, and when (drain thread only): one line a minute each. */
    private final Map<String, Long> droppedLogged = new HashMap<>();
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    /** Free places for publishes of the current session; a new session gets a new one. */
    private Semaphore inflight = new Semaphore(0);
    private int inflightMax;
    /** Messages the cloud acknowledged, to be acknowledged to the broker by the drain thread (which owns the session). */
    private final Queue<InFlight> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentMap<String, Metrics.Counter> sentCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Metrics.Timer> sendTimers = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    /** Set when a publish failed: the drain gives every unacknowledged message back to the queue and starts again. */
    private volatile boolean restart;
    /** Batching, compression, rate limits and windows (drain thread only; see {@link Shaper}). */
    private final Shaper<InFlight> shaper;

    QueueDrain(Broker broker, Cloud cloud, Supplier<String> deviceId, Metrics metrics) {
        this(broker, cloud, deviceId, device -> true, metrics);
    }

    /**
     * @param below whether a device is below this gateway now (its device scope; true while it cannot tell): a
     *            message of another device that is not is dropped, since no cloud would take it (a leaf deleted or
     *            moved at the hub while its messages waited here), and it would hold up the queue
     */
    QueueDrain(Broker broker, Cloud cloud, Supplier<String> deviceId, Predicate<String> below, Metrics metrics) {
        this(broker, cloud, deviceId, below, metrics, Clock.systemDefaultZone());
    }

    /** @param clock the time that connection windows are read in */
    QueueDrain(Broker broker, Cloud cloud, Supplier<String> deviceId, Predicate<String> below, Metrics metrics,
            Clock clock) {
        this.broker = broker;
        this.cloud = cloud;
        this.deviceId = deviceId;
        this.below = below;
        this.metrics = metrics;
        this.thread = DaemonThreads.named("outpost-upstream-drain").newThread(this::loop);
        this.shaper = new Shaper<>(cloud::settings, deviceId, (topic, payload, messages) -> CloudPublish.send(cloud,
                topic, payload, messages, messages.get(0).places(), acknowledged, () -> restart = true), f -> {
                    expire(f.message());
                    f.places().release();
                }, clock, System::nanoTime, metrics);
    }

    /** @return what the bandwidth stage did */
    BandwidthCounters bandwidth() {
        return shaper.counters();
    }

    void start() {
        thread.start();
    }

    /** Stops draining and waits (up to 10 s) until the thread has closed its session. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }

    /** @return messages the cloud acknowledged since the gateway started */
    long sent() {
        return sent.get();
    }

    /** @return messages whose time to live ran out while they waited for the cloud in this drain */
    long expired() {
        return expired.get();
    }

    /** Takes messages from the upstream queue and publishes them while the cloud is connected. */
    private void loop() {
        ClientSessionFactory factory = null;
        ServerLocator locator = null;
        ClientSession session = null;
        ClientConsumer consumer = null;
        while (!stopped) {
            try {
                Publisher c = cloud.publisher();
                if (c == null || !c.isConnected() || restart) {
                    // Unacknowledged messages go back to the head of the queue, in order.
                    release(shaper.discard());
                    ackCompleted(session);
                    closeQuietly(session);
                    session = null;
                    consumer = null;
                    restart = false;
                    cloud.awaitConnected(POLL_MS * 4);
                    continue;
                }
                if (!shaper.windowOpen()) {
                    // Outside the connection windows nothing is published: what was taken goes back to the queue
                    // once the publishes under way are answered, and the backlog waits in the store.
                    release(shaper.discard());
                    ackCompleted(session);
                    if (session != null && inflight.availablePermits() >= inflightMax) {
                        closeQuietly(session);
                        session = null;
                        consumer = null;
                    }
                    Thread.sleep(session == null ? shaper.untilOpenMs(POLL_MS * 4) : 5);
                    continue;
                }
                if (session == null) {
                    if (locator == null) {
                        // The broker hands out messages in priority order; a small window keeps that strict to within
                        // the few messages already on their way here, while sparing a round trip per message.
                        locator = broker.createLocator().setConsumerWindowSize(CONSUMER_WINDOW_BYTES);
                        factory = locator.createSessionFactory();
                    }
                    session = factory.createSession(false, true, true);
                    ensureQueue(session);
                    consumer = session.createConsumer(QUEUE);
                    session.start();
                    // Publishes of the last session that the cloud has not answered no longer count.
                    inflightMax = cloud.settings().maxInflight();
                    inflight = new Semaphore(inflightMax);
                }
                ackCompleted(session);
                shaper.pump();
                if (shaper.blocked()) {
                    // The rate limits hold a publish back: nothing more is taken from the queue meanwhile.
                    TimeUnit.NANOSECONDS.sleep(Math.max(100_000, Math.min(shaper.nextEventNanos(),
                            TimeUnit.MILLISECONDS.toNanos(POLL_MS))));
                    continue;
                }
                if (inflight.availablePermits() == 0) {
                    shaper.flushAll();
                }
                if (!inflight.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ClientMessage cm = consumer.receive(Math.max(1, Math.min(POLL_MS,
                        TimeUnit.NANOSECONDS.toMillis(shaper.nextEventNanos()))));
                if (cm == null) {
                    inflight.release();
                    continue;
                }
                publish(c, session, cm);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (!stopped) {
                    release(shaper.discard());
                    cloud.failed("upstream queue: " + e.getMessage());
                    closeQuietly(session);
                    session = null;
                    consumer = null;
                    pause();
                }
            }
        }
        closeQuietly(session);
        if (factory != null) {
            factory.close();
        }
        if (locator != null) {
            locator.close();
        }
    }

    private void publish(Publisher c, ClientSession session, ClientMessage cm) throws ActiveMQException {
        if (cm.isExpired()) {
            // Its time to live ran out while it waited here for the cloud: dropped and counted, never delivered.
            expire(cm);
            inflight.release();
            return;
        }
        UpstreamSettings s = cloud.settings();
        byte[] body = new byte[cm.getBodyBuffer().readableBytes()];
        cm.getBodyBuffer().readBytes(body);
        Message message = MessageHeaders.toMessage(body, cm::getObjectProperty);
        String sender = TopicTemplate.sender(deviceId.get(), message);
        if (!sender.equals(deviceId.get()) && !below.test(sender)) {
            notBelow(cm, message, sender);
            return;
        }
        String topic = TopicTemplate.expand(s.topic(), deviceId.get(), message);
        try {
            org.eclipse.paho.client.mqttv3.MqttTopic.validate(topic, false);
        } catch (IllegalArgumentException e) {
            // No broker takes it, now or later: published again and again it would hold up the whole queue.
            undeliverable(cm, message, topic, e.getMessage());
            return;
        }
        InFlight f = new InFlight(cm, session, inflight, from(message), 9 - cm.getPriority(), System.nanoTime());
        shaper.offer(new Shaper.Pending<>(f, message, body, cm.getStringProperty(MessageHeaders.ROUTE),
                f.priority(), cm.getExpiration()));
        shaper.pump();
    }

    private void expire(ClientMessage cm) {
        expired.incrementAndGet();
        try {
            cm.individualAcknowledge();
        } catch (ActiveMQException e) {
            LOG.debug("Acknowledging an expired message: {}", e.getMessage());
        }
    }

    /** Gives the places of messages taken and not published back (their session closes: they go back to the queue). */
    private static void release(List<InFlight> messages) {
        messages.forEach(f -> f.places().release());
    }

    /** Drops a message of a device that is no longer below this gateway: counted, logged once a minute per device. */
    private void notBelow(ClientMessage cm, Message message, String sender) throws ActiveMQException {
        long now = System.nanoTime();
        Long last = droppedLogged.get(sender);
        if (last == null || now - last > TimeUnit.MINUTES.toNanos(1)) {
            if (droppedLogged.size() > 1000) {
                droppedLogged.clear();
            }
            droppedLogged.put(sender, now);
            LOG.warn("Upstream: dropped message {} of device {}, which is no longer below this gateway (deleted,"
                    + " or moved to another parent at the hub): the hub would refuse it; further messages of {} are"
                    + " dropped the same way, logged once a minute", message.messageId(), sender, sender);
        }
        metrics.counter("edgehub_messages_dropped_total", "from", from(message), "to", "$upstream", "reason",
                "not_below_gateway").increment();
        cm.individualAcknowledge();
        inflight.release();
    }

    /** Drops a message that cannot be published (its topic is not a valid MQTT topic name), counted and logged. */
    private void undeliverable(ClientMessage cm, Message message, String topic, String why) throws ActiveMQException {
        String from = from(message).isEmpty() ? "-" : from(message);
        LOG.error("Upstream: dropped message {} from {}: its topic '{}' is not a valid MQTT topic name ({});"
                + " check the topic template in etc/org.outpost.upstream.cfg and the message's properties",
                message.messageId(), from, topic.length() > 200 ? topic.substring(0, 200) + "..." : topic, why);
        metrics.counter("edgehub_messages_dropped_total", "from", from, "to", "$upstream", "reason", "invalid_topic")
                .increment();
        cm.individualAcknowledge();
        inflight.release();
    }

    /**
     * @return the sender in metrics and logs: a module of this gateway by its name (as before), another device's
     *         message as {@code device} or {@code device/module} (a leaf, a child gateway's module), else empty
     */
    private String from(Message m) {
        String device = m.connectionDeviceId();
        String module = m.connectionModuleId();
        if (device == null || device.equals(deviceId.get())) {
            return module == null ? "" : module;
        }
        return module == null ? device : device + "/" + module;
    }

    /** Acknowledges to the broker what the cloud has acknowledged; on the drain thread, which owns the session. */
    private void ackCompleted(ClientSession session) {
        for (InFlight f = acknowledged.poll(); f != null; f = acknowledged.poll()) {
            if (f.session() != session) {
                continue; // That session is closed: its message went back to the queue and is published again.
            }
            try {
                f.message().individualAcknowledge();
            } catch (ActiveMQException e) {
                LOG.debug("Acknowledging a delivered message: {}", e.getMessage());
            }
            sent.incrementAndGet();
            count(f);
        }
    }

    private void count(InFlight f) {
        String key = f.from() + "\u0000" + f.priority();
        sentCounters.computeIfAbsent(key, k -> metrics.counter("edgehub_messages_sent_total", "from", f.from(),
                "to", "$upstream", "to_route_input", "", "priority", Integer.toString(f.priority()))).increment();
        sendTimers.computeIfAbsent(f.from(), m -> metrics.timer("edgehub_message_send_duration_seconds", "from", m,
                "to", "$upstream", "to_route_input", "")).record(System.nanoTime() - f.startNanos());
    }

    private static void ensureQueue(ClientSession session) throws ActiveMQException {
        if (!session.queueQuery(SimpleString.of(QUEUE)).isExists()) {
            try {
                session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            } catch (ActiveMQQueueExistsException e) {
                // The router created it meanwhile.
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (ActiveMQException e) {
                LOG.debug("Closing the upstream queue session: {}", e.getMessage());
            }
        }
    }
}
