/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.broker.api.Broker;
import org.outpost.commons.Backoff;
import org.outpost.commons.DaemonThreads;
import org.outpost.commons.Listeners;
import org.outpost.hub.api.Telemetry;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryPacking;
import org.outpost.protocol.TelemetryTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests device telemetry: subscribes to every telemetry topic at the hub's broker (a persistent session, so nothing
 * published while the hub restarts is lost), keeps the newest {@code telemetry.capacity} messages, feeds live
 * listeners, and writes one line per message to the {@value #TELEMETRY_LOGGER} logger (data/log/telemetry.log), with
 * what the device sent escaped by {@link LogText} so that it cannot break out of its line.
 */
@Component(service = Telemetry.class, configurationPid = "org.outpost.hub")
@Designate(ocd = TelemetryHub.Config.class)
public final class TelemetryHub implements Telemetry {

    @ObjectClassDefinition(name = "Outpost hub", description = "The hub's telemetry ingestion,"
            + " cloud-to-device messages and master key.")
    public @interface Config {
        @AttributeDefinition(description = "Telemetry messages kept in memory for hub:telemetry.")
        int telemetry_capacity() default 1000;

        @AttributeDefinition(description = "The master key file that device and module keys are sealed with in the"
                + " database (HubSecrets): empty for ${karaf.etc}/outpost-master.key, a relative path is taken from"
                + " ${karaf.etc}. Created owner-only at the first start; every hub node sharing a database needs the"
                + " same file.")
        String master_key_file() default "";
    }

    static final String TELEMETRY_LOGGER = "org.outpost.hub.telemetry";
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryHub.class);
    private static final Logger TELEMETRY = LoggerFactory.getLogger(TELEMETRY_LOGGER);

    private final DeviceStore devices;
    private final TelemetryRouting routing;
    private final int capacity;
    private final Deque<Received> recent = new ArrayDeque<>();
    private final Listeners<Consumer<Received>> listeners = new Listeners<>("telemetry");
    private final MqttAsyncClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final ScheduledExecutorService reconnect = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-hub-ingest"));
    /** A lost connection is retried after 1 s, a failed attempt after 2 s: the broker is in this JVM. */
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private long sequence;
    private final Instant since = Instant.now();
    private volatile boolean running = true;
    /** Whether the subscription to every telemetry topic is in place (messages sent from now on are ingested). */
    private volatile boolean subscribed;

    @Activate
    public TelemetryHub(@Reference Broker broker, @Reference DeviceAuthenticator authenticator,
            @Reference DeviceStore devices, @Reference TelemetryRouting routing, Config config)
            throws MqttException {
        this.devices = devices;
        this.routing = routing;
        this.capacity = Math.max(1, config.telemetry_capacity());
        String url = broker.acceptorUrl("MQTT").orElseThrow(() -> new IllegalStateException(
                "the hub's broker has no MQTT acceptor: set mqtt.port in etc/org.outpost.broker.cfg"));
        client = new MqttAsyncClient(url, "outpost-hub-ingest", new MemoryPersistence());
        options.setCleanSession(false);
        options.setUserName(DeviceAuthenticator.INTERNAL_USER);
        options.setPassword(authenticator.internalToken().toCharArray());
        options.setMaxInflight(1000);
        options.setAutomaticReconnect(false);
        // A message is acknowledged once message routing stored it (its endpoints' queues): until then the broker
        // keeps it in this persistent session, and sends it again if the hub stops first.
        client.setManualAcks(true);
        // Off loopback the broker's acceptor is TLS: this client trusts exactly the broker's own certificate, which
        // need not name the loopback address it connects to.
        broker.acceptorSocketFactory().ifPresent(tls -> {
            options.setSocketFactory(tls);
            options.setHttpsHostnameVerificationEnabled(false);
        });
        client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("Telemetry ingestion lost its broker connection ({}); reconnecting", cause.toString());
                retryLater();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                ingest(topic, message.getPayload()).whenComplete((done, failed) -> {
                    if (failed == null) {
                        acknowledge(message);
                    } else {
                        LOG.warn("Telemetry on '{}' not acknowledged: {} (the broker sends it again after a"
                                + " reconnect)", topic, failed.toString());
                    }
                });
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        reconnect.execute(this::connect);
    }

    /**
     * @return whether ingestion has subscribed to every telemetry topic: from then on nothing sent is missed (its
     *         persistent session keeps what arrives while it reconnects)
     */
    boolean subscribed() {
        return subscribed;
    }

    /** From Paho's thread (connection lost) or the reconnect thread (attempt failed): the back-off is shared. */
    private synchronized void retryLater() {
        if (running) {
            reconnect.schedule(this::connect, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void connect() {
        try {
            client.connect(options).waitForCompletion(10_000);
            client.subscribe(TelemetryTopic.FILTER_ALL, 1).waitForCompletion(10_000);
            subscribed = true;
            synchronized (this) {
                backoff.reset();
            }
            LOG.info("Ingesting telemetry from {}", TelemetryTopic.FILTER_ALL);
        } catch (MqttException e) {
            LOG.warn("Telemetry ingestion cannot connect to the hub's broker ({}); retrying", e.toString());
            retryLater();
        }
    }

    @Deactivate
    void deactivate() {
        running = false;
        reconnect.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing the ingestion client: {}", e.toString());
        }
    }

    private void acknowledge(MqttMessage message) {
        if (message.getQos() == 0) {
            return;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.debug("Acknowledging telemetry message {}: {}", message.getId(), e.toString());
        }
    }

    /** @return completes when message routing stored what the payload holds (at once when nothing is routed) */
    CompletableFuture<Void> ingest(String topic, byte[] payload) {
        try {
            TelemetryTopic t = TelemetryTopic.parse(topic).orElse(null);
            if (t == null) {
                return CompletableFuture.completedFuture(null);
            }
            // The IoT Hub endpoint unpacks a gateway's batches and gzip; one published straight into the broker
            // is unpacked here, so that what follows sees the original messages either way.
            List<CompletableFuture<Void>> routed = new ArrayList<>(1);
            for (TelemetryPacking.Unpacked u : TelemetryPacking.unpack(t, payload)) {
                routed.add(ingest(u.topic(), u.body()).toCompletableFuture());
            }
            return routed.size() == 1 ? routed.get(0)
                    : CompletableFuture.allOf(routed.toArray(CompletableFuture[]::new));
        } catch (IllegalArgumentException e) {
            LOG.warn("Dropping telemetry on topic '{}': {}", topic, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletionStage<Void> ingest(TelemetryTopic t, byte[] payload) {
        Message message = PropertyBag.apply(t.properties(), Message.builder().body(payload)).build();
        Received r;
        synchronized (recent) {
            r = new Received(++sequence, t.deviceId(), t.moduleId(), message);
            recent.addLast(r);
            if (recent.size() > capacity) {
                recent.removeFirst();
            }
        }
        devices.received(t.deviceId());
        if (TELEMETRY.isInfoEnabled()) {
            TELEMETRY.info("{}", line(t, message, payload));
        }
        listeners.fire(l -> l.accept(r));
        Message.Builder routed = message.toBuilder().connectionDeviceId(t.deviceId());
        if (t.moduleId() != null) {
            routed.connectionModuleId(t.moduleId());
        }
        try {
            return routing.route(routed.build(), Instant.now());
        } catch (RuntimeException e) {
            // Not acknowledged: the broker keeps it and sends it again, rather than it being dropped unrouted.
            LOG.warn("Message routing failed for a message of {}: {}", t.deviceId(), e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @return the telemetry log's line of a message: {@code device/module {properties} body}, what the device sent
     *         escaped (no forged lines of other devices)
     */
    static String line(TelemetryTopic t, Message message, byte[] payload) {
        return LogText.escape(t.deviceId()) + "/" + (t.moduleId() == null ? "-" : LogText.escape(t.moduleId())) + " "
                + LogText.escape(propertiesOf(message).toString()) + " " + LogText.escape(new String(payload,
                        StandardCharsets.UTF_8));
    }

    private static Map<String, String> propertiesOf(Message m) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        if (m.outputName() != null) {
            p.put("output", m.outputName());
        }
        p.putAll(m.properties());
        return p;
    }

    @Override
    public List<Received> recent(String device, int limit) {
        List<Received> out = new ArrayList<>();
        synchronized (recent) {
            for (Received r : recent) {
                if (device == null || device.equals(r.deviceId())) {
                    out.add(r);
                }
            }
        }
        return out.subList(Math.max(0, out.size() - Math.max(0, limit)), out.size());
    }

    @Override
    public long received() {
        synchronized (recent) {
            return sequence;
        }
    }

    @Override
    public Instant receivedSince() {
        return since;
    }

    @Override
    public AutoCloseable subscribe(Consumer<Received> listener) {
        return listeners.subscribe(listener);
    }
}
