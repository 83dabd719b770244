/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.Upstream;
import org.outpost.api.runtime.UpstreamStatus;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.MessageHeaders;
import org.outpost.broker.api.QueueStats;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.SasToken;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream: an MQTT 3.1.1 connection to the cloud (reconnecting with capped exponential back-off) and a drain that
 * publishes the upstream endpoint queue into it. Up to {@code max.inflight} messages are published at once (QoS 1); a
 * message leaves the queue only after the cloud's PUBACK for it. When the connection breaks, every message not yet
 * acknowledged goes back to the head of the queue, in order, and is published again after the reconnect: nothing is
 * lost, and order is kept (a message the cloud had acknowledged just before the break may arrive twice).
 */
@Component(service = Upstream.class, configurationPid = UpstreamSettings.PID)
@Designate(ocd = UpstreamConnector.Config.class)
public final class UpstreamConnector implements Upstream {

    @ObjectClassDefinition(name = "Outpost upstream", description = "The gateway's MQTT connection to the cloud.")
    public @interface Config {
        @AttributeDefinition(description = "Cloud MQTT broker: tcp://host:port or ssl://host:port.")
        String url() default "tcp://127.0.0.1:1883";

        @AttributeDefinition(description = "MQTT client id; empty means the gateway's device id.")
        String client_id() default "";

        @AttributeDefinition(description = "User name (the device id at an Outpost hub); empty for none.")
        String username() default "";

        @AttributeDefinition(description = "Password or token; empty for none.", type = AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Topic template; placeholders {deviceId}, {moduleId}, {outputName},"
                + " {properties}.")
        String topic() default TopicTemplate.IOT_HUB_MODULE_EVENTS;

        @AttributeDefinition(description = "MQTT QoS: 1 = at least once (a message leaves the queue on PUBACK).")
        int qos() default 1;

        @AttributeDefinition(description = "MQTT keep-alive in seconds.")
        int keep_alive_seconds() default 30;

        @AttributeDefinition(description = "First reconnect delay (ms); doubles up to reconnect.max.ms.")
        long reconnect_min_ms() default 1000;

        @AttributeDefinition(description = "Longest reconnect delay (ms).")
        long reconnect_max_ms() default 60000;

        @AttributeDefinition(description = "Messages published and not yet acknowledged by the cloud, at most.")
        int max_inflight() default 256;

        @AttributeDefinition(description = "Device key for IoT Hub SAS tokens: when set, the password is a SAS token"
                + " made at each connect (and the user name, if empty, IoT Hub's <host>/<device>/?api-version=...).",
                type = AttributeType.PASSWORD)
        String sas_key() default "";

        @AttributeDefinition(description = "The hub's host name in SAS tokens.")
        String sas_host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "Hours each SAS token is valid.")
        int sas_token_hours() default 1;

        @AttributeDefinition(description = "For ssl:// URLs: PEM file (in ${karaf.etc} unless absolute) of the"
                + " certificates to trust, e.g. the hub's own or its CA; empty trusts the JVM's default CAs.")
        String tls_ca() default "";
    }

    static final String QUEUE = "outpost.endpoint.upstream";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);
    private static final long POLL_MS = 50;
    private static final int CONSUMER_WINDOW_BYTES = 64 * 1024;

    private final Broker broker;
    private final EdgeRuntime runtime;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outpost-upstream");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final Metrics metrics;
    private final Thread drain;
    /** Free places for publishes of the current session; a new session gets a new one. */
    private Semaphore inflight = new Semaphore(0);
    /** Messages the cloud acknowledged, to be acknowledged to the broker by the drain thread (which owns the session). */
    private final Queue<InFlight> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentMap<String, Metrics.Counter> sentCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Metrics.Timer> sendTimers = new ConcurrentHashMap<>();
    private volatile boolean drainStopped;
    /** Set when a publish failed: the drain gives every unacknowledged message back to the queue and starts again. */
    private volatile boolean restartDrain;

    private volatile UpstreamSettings settings;
    private volatile MqttAsyncClient client;
    private volatile String state = "connecting";
    private volatile Instant connectedSince;
    private volatile String lastError = "";
    private volatile Instant lastErrorTime;
    private volatile Instant nextRetry;
    private long backoffMs;
    private boolean stopped;
    private final Object connected = new Object();
    /** The {@code $.to} of a cloud-to-device message for a module input. */
    private static final java.util.regex.Pattern MODULE_INPUT = java.util.regex.Pattern.compile(
            "/devices/([^/]+)/modules/([^/]+)/inputs/([^/]+)");
    private final Routing routing;

    @Activate
    public UpstreamConnector(@Reference Broker broker, @Reference EdgeRuntime runtime, @Reference Metrics metrics,
            @Reference Routing routing, Config config, Map<String, Object> properties) {
        this.broker = broker;
        this.routing = routing;
        this.runtime = runtime;
        this.metrics = metrics;
        UpstreamSettings initial;
        try {
            initial = UpstreamSettings.from(config, properties);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; using the default upstream configuration until it is fixed", e.getMessage());
            initial = defaults();
        }
        this.settings = initial;
        scheduler.execute(this::connect);
        this.drain = new Thread(this::drainLoop, "outpost-upstream-drain");
        drain.setDaemon(true);
        drain.start();
    }

    private static UpstreamSettings defaults() {
        try {
            return UpstreamSettings.from(ConfigValues.defaults(Config.class), Map.of());
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("the default upstream configuration is invalid", e);
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        UpstreamSettings next;
        try {
            next = UpstreamSettings.from(config, properties);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the upstream keeps its current configuration", e.getMessage());
            return;
        }
        if (next.equals(settings)) {
            return;
        }
        LOG.info("Upstream configuration changed: {}", next);
        scheduler.execute(() -> {
            settings = next;
            disconnect();
            backoffMs = 0;
            connect();
        });
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        drainStopped = true;
        drain.interrupt();
        drain.join(10_000);
        scheduler.execute(() -> {
            stopped = true;
            disconnect();
            state = "stopped";
        });
        scheduler.shutdown();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Runs on the scheduler thread only. */
    private void connect() {
        if (stopped) {
            return;
        }
        UpstreamSettings s = settings;
        String clientId = s.clientId().isEmpty() ? runtime.deviceId() : s.clientId();
        state = "connecting";
        nextRetry = null;
        try {
            MqttAsyncClient c = new MqttAsyncClient(s.url(), clientId, new MemoryPersistence());
            c.setCallback(new MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void connectionLost(Throwable cause) {
                    failed("connection lost: " + describe(cause));
                    scheduler.execute(() -> {
                        if (client == c) {
                            disconnect();
                            scheduleReconnect();
                        }
                    });
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) throws Exception {
                    // Returning acknowledges the message: a cloud-to-device message is stored first. Throwing drops
                    // the connection unacknowledged, and the hub delivers it again after the reconnect.
                    cloudToDevice(topic, message.getPayload());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(false);
            options.setKeepAliveInterval(s.keepAliveSeconds());
            options.setAutomaticReconnect(false);
            options.setMaxInflight(s.maxInflight() + 10);
            if (!s.tlsCa().isEmpty()) {
                options.setSocketFactory(org.outpost.protocol.TrustedCertificates.socketFactory(java.nio.file.Path
                        .of(System.getProperty("karaf.etc", "etc")).resolve(s.tlsCa())));
            }
            if (!s.sasKey().isEmpty()) {
                String device = runtime.deviceId();
                options.setUserName(s.username().isEmpty() ? s.sasHostName() + "/" + device
                        + "/?api-version=2021-04-12" : s.username());
                options.setPassword(SasToken.create(s.sasHostName() + "/devices/" + device, s.sasKey(),
                        Instant.now().plus(java.time.Duration.ofHours(s.sasTokenHours()))).toCharArray());
            } else {
                if (!s.username().isEmpty()) {
                    options.setUserName(s.username());
                }
                if (!s.password().isEmpty()) {
                    options.setPassword(s.password().toCharArray());
                }
            }
            c.connect(options).waitForCompletion(30_000);
            if (!s.sasKey().isEmpty()) {
                // The IoT Hub contract: the device's cloud-to-device messages, kept by the hub while it was away.
                c.subscribe(IotHubTopic.CloudToDevice.filter(runtime.deviceId()), 1).waitForCompletion(10_000);
            }
            client = c;
            backoffMs = 0;
            connectedSince = Instant.now();
            state = "connected";
            synchronized (connected) {
                connected.notifyAll();
            }
            LOG.info("Upstream connected to {} as {}", s.url(), clientId);
        } catch (MqttException e) {
            failed("cannot connect to " + s.url() + ": " + describe(e));
            scheduleReconnect();
        } catch (java.io.IOException e) {
            failed("cannot use tls.ca of " + UpstreamSettings.PID + ": " + e.getMessage());
            scheduleReconnect();
        }
    }

    /**
     * A cloud-to-device message: one addressed to a module input ({@code $.to = /devices/<d>/modules/<m>/inputs/<i>},
     * {@code hub:c2d -m <module> -i <input>}) is stored in that input's queue; others have no receiver on a gateway
     * and are logged and dropped.
     */
    private void cloudToDevice(String topic, byte[] body) throws Exception {
        IotHubTopic t = IotHubTopic.parse(topic).orElse(null);
        if (!(t instanceof IotHubTopic.CloudToDevice c2d)) {
            LOG.warn("Ignoring a message on '{}' from the cloud: not a cloud-to-device topic", topic);
            return;
        }
        Map<String, String> p = c2d.properties();
        java.util.regex.Matcher to = MODULE_INPUT.matcher(p.getOrDefault(PropertyBag.TO, ""));
        if (!to.matches() || !to.group(1).equals(runtime.deviceId())) {
            LOG.warn("Dropping cloud-to-device message {}: it names no module input of this gateway (to '{}'); send"
                    + " it with hub:c2d -m <module> -i <input>", p.get(PropertyBag.MESSAGE_ID),
                    p.getOrDefault(PropertyBag.TO, ""));
            return;
        }
        Map<String, String> application = new java.util.TreeMap<>();
        p.forEach((k, v) -> {
            if (!k.startsWith("$.")) {
                application.put(k, v);
            }
        });
        Message m = Message.builder().body(body)
                .messageId(p.get(PropertyBag.MESSAGE_ID)).correlationId(p.get(PropertyBag.CORRELATION_ID))
                .contentType(p.get(PropertyBag.CONTENT_TYPE)).contentEncoding(p.get(PropertyBag.CONTENT_ENCODING))
                .connectionDeviceId(runtime.deviceId()).properties(application).build();
        routing.deliver(to.group(2), to.group(3), m).toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("Cloud-to-device message {} stored for {}/{}", m.messageId(), to.group(2), to.group(3));
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        UpstreamSettings s = settings;
        backoffMs = backoffMs == 0 ? s.reconnectMinMs() : Math.min(backoffMs * 2, s.reconnectMaxMs());
        state = "disconnected";
        nextRetry = Instant.now().plusMillis(backoffMs);
        scheduler.schedule(this::connect, backoffMs, TimeUnit.MILLISECONDS);
    }

    private void disconnect() {
        MqttAsyncClient c = client;
        client = null;
        connectedSince = null;
        if (c != null) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1000).waitForCompletion(2000);
                }
            } catch (MqttException e) {
                LOG.debug("Disconnecting: {}", e.getMessage());
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                LOG.debug("Closing the MQTT client: {}", e.getMessage());
            }
        }
    }

    private void failed(String error) {
        lastError = error;
        lastErrorTime = Instant.now();
        LOG.warn("Upstream: {}", error);
    }

    private static String describe(Throwable t) {
        if (t instanceof MqttException m) {
            String cause = m.getCause() == null ? "" : " (" + m.getCause().getMessage() + ")";
            return m.getMessage() + " [reason " + m.getReasonCode() + "]" + cause;
        }
        return String.valueOf(t);
    }

    /** A message published to the cloud and not yet acknowledged by it. */
    private record InFlight(ClientMessage message, ClientSession session, Semaphore places, String from, int priority,
            long startNanos) {
    }

    /** The drain thread: takes messages from the upstream queue and publishes them while the cloud is connected. */
    private void drainLoop() {
        ClientSessionFactory factory = null;
        ServerLocator locator = null;
        ClientSession session = null;
        ClientConsumer consumer = null;
        while (!drainStopped) {
            try {
                MqttAsyncClient c = client;
                if (c == null || !c.isConnected() || restartDrain) {
                    // Unacknowledged messages go back to the head of the queue, in order.
                    ackCompleted(session);
                    closeQuietly(session);
                    session = null;
                    consumer = null;
                    restartDrain = false;
                    waitForConnection();
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
                    inflight = new Semaphore(settings.maxInflight());
                }
                ackCompleted(session);
                if (!inflight.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ClientMessage cm = consumer.receive(POLL_MS);
                if (cm == null) {
                    inflight.release();
                    continue;
                }
                publish(c, session, cm);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (!drainStopped) {
                    failed("upstream queue: " + e.getMessage());
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

    private void publish(MqttAsyncClient c, ClientSession session, ClientMessage cm) throws ActiveMQException {
        if (cm.isExpired()) {
            // Its time to live ran out while it waited here for the cloud: dropped and counted, never delivered.
            expired.incrementAndGet();
            cm.individualAcknowledge();
            inflight.release();
            return;
        }
        byte[] body = new byte[cm.getBodyBuffer().readableBytes()];
        cm.getBodyBuffer().readBytes(body);
        Message message = MessageHeaders.toMessage(body, cm::getObjectProperty);
        String topic = TopicTemplate.expand(settings.topic(), runtime.deviceId(), message);
        MqttMessage mqtt = new MqttMessage(body);
        mqtt.setQos(settings.qos());
        String from = message.connectionModuleId() == null ? "" : message.connectionModuleId();
        Semaphore places = inflight;
        InFlight f = new InFlight(cm, session, places, from, 9 - cm.getPriority(), System.nanoTime());
        try {
            c.publish(topic, mqtt, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acknowledged.add(f);
                    places.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    failed("publish failed: " + describe(error));
                    restartDrain = true;
                    places.release();
                }
            });
        } catch (MqttException e) {
            failed("publish failed: " + describe(e));
            restartDrain = true;
            places.release();
        }
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
        sentCounters.computeIfAbsent(key, k -> metrics.counter("messages_sent_total", "from", f.from(), "to",
                "$upstream", "priority", Integer.toString(f.priority()))).increment();
        sendTimers.computeIfAbsent(f.from(), m -> metrics.timer("message_send_duration_seconds", "from", m,
                "to", "$upstream")).record(System.nanoTime() - f.startNanos());
    }

    private void ensureQueue(ClientSession session) throws ActiveMQException {
        if (!session.queueQuery(SimpleString.of(QUEUE)).isExists()) {
            try {
                session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            } catch (ActiveMQQueueExistsException e) {
                // The router created it meanwhile.
            }
        }
    }

    private void waitForConnection() throws InterruptedException {
        synchronized (connected) {
            MqttAsyncClient c = client;
            if (c == null || !c.isConnected()) {
                connected.wait(POLL_MS * 4);
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

    @Override
    public UpstreamStatus status() {
        UpstreamSettings s = settings;
        QueueStats q = broker.queueStats(QUEUE).orElse(new QueueStats(QUEUE, 0, 0, 0, 0, 0));
        return new UpstreamStatus(s.url(), s.clientId().isEmpty() ? runtime.deviceId() : s.clientId(), state,
                q.messages(), sent.get(), q.expired() + expired.get(), connectedSince, lastError, lastErrorTime,
                nextRetry);
    }
}
