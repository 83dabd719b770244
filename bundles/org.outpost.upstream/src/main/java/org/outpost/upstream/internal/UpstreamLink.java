/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.commons.Backoff;
import org.outpost.commons.DaemonThreads;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1.1 connection to the cloud (Paho, clean session off, QoS 1 subscriptions), reconnecting with capped
 * exponential back-off ({@code reconnect.min.ms} doubling up to {@code reconnect.max.ms}). Connecting, reconnecting
 * and reconfiguring run on one thread; what it reports (state, connected since, last error, next retry) is read from
 * any thread. With a SAS key it makes a new token at each connect and subscribes to the device's cloud-to-device
 * messages, which it hands to the inbound handler.
 */
final class UpstreamLink implements QueueDrain.Cloud {

    /** What the cloud sends the gateway. */
    @FunctionalInterface
    interface Inbound {
        /**
         * Returning acknowledges the message; throwing drops the connection unacknowledged, and the cloud sends it
         * again after the reconnect.
         */
        void arrived(String topic, byte[] payload) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);

    private final Supplier<String> deviceId;
    private final Inbound inbound;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-upstream"));
    private final Object connected = new Object();
    private final long connectTimeoutMs;

    private volatile UpstreamSettings settings;
    private volatile MqttAsyncClient client;
    private volatile QueueDrain.Publisher publisher;
    private volatile String state = "connecting";
    private volatile Instant connectedSince;
    private volatile String lastError = "";
    private volatile Instant lastErrorTime;
    private volatile Instant nextRetry;
    private volatile long retryDelayMs;
    /** Hears the link come up (true) and go down (false): the offline metrics. */
    private volatile java.util.function.Consumer<Boolean> connectivity = up -> { };
    /** Owned by the scheduler thread. */
    private Backoff backoff;
    private boolean stopped;

    UpstreamLink(UpstreamSettings settings, Supplier<String> deviceId, Inbound inbound) {
        this(settings, deviceId, inbound, Duration.ofSeconds(30));
    }

    /** @param connectTimeout how long a connect (and the subscription after it) may take before it is given up */
    UpstreamLink(UpstreamSettings settings, Supplier<String> deviceId, Inbound inbound, Duration connectTimeout) {
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.settings = settings;
        this.backoff = backoff(settings);
        this.deviceId = deviceId;
        this.inbound = inbound;
    }

    private static Backoff backoff(UpstreamSettings s) {
        return new Backoff(Duration.ofMillis(s.reconnectMinMs()), Duration.ofMillis(s.reconnectMaxMs()));
    }

    /** @param listener hears the link come up (true) and go down (false), on the link's thread */
    void onConnectivity(java.util.function.Consumer<Boolean> listener) {
        connectivity = listener;
    }

    /** Connects, in the background. */
    void start() {
        scheduler.execute(this::connect);
    }

    /** Disconnects and connects with new settings, the back-off starting again. */
    void reconfigure(UpstreamSettings next) {
        scheduler.execute(() -> {
            settings = next;
            disconnect();
            backoff = backoff(next);
            connect();
        });
    }

    /** Disconnects for good and waits (up to 10 s) until it has. */
    void stop() throws InterruptedException {
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
        String clientId = clientId();
        state = "connecting";
        nextRetry = null;
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(s.url(), clientId, new MemoryPersistence());
            MqttAsyncClient self = c;
            c.setCallback(new MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void connectionLost(Throwable cause) {
                    failed("connection lost: " + describe(cause));
                    scheduler.execute(() -> {
                        if (client == self) {
                            disconnect();
                            scheduleReconnect();
                        }
                    });
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) throws Exception {
                    // Returning acknowledges the message: a cloud-to-device message is stored first. Throwing drops
                    // the connection unacknowledged, and the hub delivers it again after the reconnect.
                    inbound.arrived(topic, message.getPayload());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            c.connect(ConnectOptions.of(s, deviceId.get(), Path.of(System.getProperty("karaf.etc", "etc")),
                    Instant.now())).waitForCompletion(connectTimeoutMs);
            if (!s.sasKey().isEmpty()) {
                // The IoT Hub contract: the device's cloud-to-device messages, kept by the hub while it was away.
                c.subscribe(IotHubTopic.CloudToDevice.filter(deviceId.get()), 1).waitForCompletion(connectTimeoutMs);
            }
            client = c;
            publisher = new PahoPublisher(c);
            backoff.reset();
            retryDelayMs = 0;
            connectedSince = Instant.now();
            state = "connected";
            connectivity.accept(true);
            synchronized (connected) {
                connected.notifyAll();
            }
            LOG.info("Upstream connected to {} as {}", s.url(), clientId);
        } catch (MqttException e) {
            // A connect that timed out goes on in Paho: closed here, it cannot come up later beside the next one
            // (with the same client id, each would knock the other off).
            discard(c);
            failed("cannot connect to " + s.url() + ": " + describe(e));
            scheduleReconnect();
        } catch (IOException e) {
            discard(c);
            failed("cannot use tls.ca of " + UpstreamSettings.PID + ": " + e.getMessage());
            scheduleReconnect();
        }
    }

    /** Closes a client that did not become the link's, whatever state its connect is in. */
    private static void discard(MqttAsyncClient c) {
        if (c == null) {
            return;
        }
        try {
            c.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            LOG.debug("Dropping an unfinished connection: {}", e.getMessage());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing an unfinished MQTT client: {}", e.getMessage());
        }
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delayMs = backoff.nextDelayMs();
        retryDelayMs = delayMs;
        state = "disconnected";
        connectivity.accept(false);
        nextRetry = Instant.now().plusMillis(delayMs);
        scheduler.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
    }

    private void disconnect() {
        MqttAsyncClient c = client;
        client = null;
        publisher = null;
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

    /**
     * Records a failure. The log gets a warning when something new goes wrong (the link is lost, or an attempt fails
     * differently from the one before); the same failure again, at each reconnect attempt, only at debug level.
     */
    @Override
    public void failed(String error) {
        boolean same = error.equals(lastError) && !state.equals("connected");
        lastError = error;
        lastErrorTime = Instant.now();
        if (same) {
            LOG.debug("Upstream: {} (again)", error);
        } else {
            LOG.warn("Upstream: {}", error);
        }
    }

    static String describe(Throwable t) {
        if (t instanceof MqttException m) {
            String cause = m.getCause() == null ? "" : " (" + m.getCause().getMessage() + ")";
            return m.getMessage() + " [reason " + m.getReasonCode() + "]" + cause;
        }
        return String.valueOf(t);
    }

    @Override
    public QueueDrain.Publisher publisher() {
        return publisher;
    }

    @Override
    public void awaitConnected(long ms) throws InterruptedException {
        synchronized (connected) {
            MqttAsyncClient c = client;
            if (c == null || !c.isConnected()) {
                connected.wait(ms);
            }
        }
    }

    @Override
    public UpstreamSettings settings() {
        return settings;
    }

    /** @return the MQTT client id: the configured one, or the device id */
    String clientId() {
        UpstreamSettings s = settings;
        return s.clientId().isEmpty() ? deviceId.get() : s.clientId();
    }

    /** @return connecting, connected, disconnected (waiting to retry) or stopped */
    String state() {
        return state;
    }

    /** @return since when it is connected, or {@code null} */
    Instant connectedSince() {
        return connectedSince;
    }

    /** @return the last error, empty if none */
    String lastError() {
        return lastError;
    }

    /** @return when the last error happened, or {@code null} */
    Instant lastErrorTime() {
        return lastErrorTime;
    }

    /** @return when it tries to connect again, or {@code null} while it is not waiting to */
    Instant nextRetry() {
        return nextRetry;
    }

    /** @return the wait before the retry last scheduled, 0 after a connect */
    long retryDelayMs() {
        return retryDelayMs;
    }

    /** Publishes into one Paho client: the drain keeps using it until it finds it disconnected. */
    private record PahoPublisher(MqttAsyncClient client) implements QueueDrain.Publisher {
        @Override
        public boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void publish(String topic, MqttMessage message, IMqttActionListener done) throws MqttException {
            client.publish(topic, message, null, done);
        }
    }
}
