/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
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
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.Upstream;
import org.outpost.api.runtime.UpstreamStatus;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.MessageHeaders;
import org.outpost.broker.api.QueueStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream: an MQTT 3.1.1 connection to the cloud (reconnecting with capped exponential back-off) and a Camel
 * route that drains the upstream endpoint queue into it. A message leaves the queue only after the cloud's PUBACK;
 * while the cloud is away the route holds the head message and retries, so order is kept and nothing is lost.
 */
@Component(service = {RoutesBuilder.class, Upstream.class}, configurationPid = UpstreamSettings.PID)
@Designate(ocd = UpstreamConnector.Config.class)
public final class UpstreamConnector extends RouteBuilder implements Upstream {

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
    }

    static final String QUEUE = "outpost.endpoint.upstream";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);
    private static final long PUBLISH_TIMEOUT_MS = 30_000;

    private final Broker broker;
    private final EdgeRuntime runtime;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outpost-upstream");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    private volatile UpstreamSettings settings;
    private volatile MqttAsyncClient client;
    private volatile String state = "connecting";
    private volatile Instant connectedSince;
    private volatile String lastError = "";
    private volatile Instant lastErrorTime;
    private volatile Instant nextRetry;
    private long backoffMs;
    private boolean stopped;

    @Activate
    public UpstreamConnector(@Reference Broker broker, @Reference EdgeRuntime runtime, Config config,
            Map<String, Object> properties) {
        this.broker = broker;
        this.runtime = runtime;
        UpstreamSettings initial;
        try {
            initial = UpstreamSettings.from(config, properties);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; using the default upstream configuration until it is fixed", e.getMessage());
            initial = defaults();
        }
        this.settings = initial;
        scheduler.execute(this::connect);
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
                public void messageArrived(String topic, MqttMessage message) {
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
            options.setMaxInflight(1000);
            if (!s.username().isEmpty()) {
                options.setUserName(s.username());
            }
            if (!s.password().isEmpty()) {
                options.setPassword(s.password().toCharArray());
            }
            c.connect(options).waitForCompletion(30_000);
            client = c;
            backoffMs = 0;
            connectedSince = Instant.now();
            state = "connected";
            LOG.info("Upstream connected to {} as {}", s.url(), clientId);
        } catch (MqttException e) {
            failed("cannot connect to " + s.url() + ": " + describe(e));
            scheduleReconnect();
        }
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

    @Override
    public void configure() {
        // The cloud being away is normal: hold the message and retry (blocking this consumer keeps the order).
        errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(200).useExponentialBackOff()
                .backOffMultiplier(2).maximumRedeliveryDelay(5000).retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .logRetryAttempted(false).logExhausted(false)
                // On shutdown, give up the retry: the transaction rolls back and the message stays queued.
                .allowRedeliveryWhileStopping(false));
        from("sjms:queue:" + QUEUE + "?transacted=true")
                .routeId("outpost-upstream")
                .process(this::publish);
    }

    private void publish(Exchange exchange) throws Exception {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            throw new UpstreamUnavailableException("the cloud is not connected (" + state + ")");
        }
        org.apache.camel.Message in = exchange.getMessage();
        Long expiration = in.getHeader("JMSExpiration", Long.class);
        if (expiration != null && expiration > 0 && expiration < System.currentTimeMillis()) {
            // Its time to live ran out while it waited here for the cloud: dropped and counted, never delivered.
            expired.incrementAndGet();
            return;
        }
        byte[] body = in.getBody(byte[].class);
        Message message = MessageHeaders.toMessage(body == null ? new byte[0] : body, in::getHeader);
        String topic = TopicTemplate.expand(settings.topic(), runtime.deviceId(), message);
        MqttMessage mqtt = new MqttMessage(message.body());
        mqtt.setQos(settings.qos());
        try {
            c.publish(topic, mqtt).waitForCompletion(PUBLISH_TIMEOUT_MS);
        } catch (MqttException e) {
            failed("publish failed: " + describe(e));
            throw e;
        }
        sent.incrementAndGet();
    }

    @Override
    public UpstreamStatus status() {
        UpstreamSettings s = settings;
        QueueStats q = broker.queueStats(QUEUE).orElse(new QueueStats(QUEUE, 0, 0, 0, 0, 0));
        return new UpstreamStatus(s.url(), s.clientId().isEmpty() ? runtime.deviceId() : s.clientId(), state,
                q.messages(), sent.get(), q.expired() + expired.get(), connectedSince, lastError, lastErrorTime,
                nextRetry);
    }

    /** The cloud connection is down; the message stays queued. */
    static final class UpstreamUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UpstreamUnavailableException(String message) {
            super(message);
        }
    }
}
