/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.commons.Backoff;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TwinDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One module identity's twin at the hub, over the IoT Hub MQTT contract: connects as {@code <device>/<module>} with a
 * SAS token, reads the whole twin at each connect and after each desired patch (which also covers patches missed while
 * away) and hands it to its {@link Handler}, and reports what the handler reports whenever that changes, as a merge
 * patch against what the hub holds (keys that are gone are deleted with {@code null}). All work runs on the given
 * single-threaded executor. Its SAS tokens are signed with the key it is given: the device's for {@code $edgeAgent}
 * and {@code $edgeHub}, the module's own for a module. An {@link Extension} may use the connection for topics of its
 * own (the gateway registers its module identities over {@code $edgeAgent}'s).
 */
final class TwinClient {

    /** What a twin is for: applying its desired properties, and saying what to report. */
    interface Handler {
        /** @param twin the whole twin, {@code {"desired": {...}, "reported": {...}}} */
        void apply(JsonNode twin);

        /** @return the reported properties as they should be now */
        ObjectNode reported();

        /**
         * Takes a desired patch pushed by the hub, if it can (it is the next version).
         *
         * @param patch the patch with its {@code $version}
         * @return whether it was taken; if not, the whole twin is read and given to {@link #apply}
         */
        default boolean patch(JsonNode patch) {
            return false;
        }

        /**
         * Answers a direct method called on this identity.
         *
         * @param payload the request payload (JSON null if there was none)
         * @return the status and JSON payload, or null if this identity has no method by that name (501)
         */
        default MethodAnswer call(String method, JsonNode payload) throws Exception {
            return null;
        }

        /**
         * The hub refused this identity's credentials (CONNACK 4 or 5).
         *
         * @return true if the client is to stop trying (its owner closes it and makes another when it may), false to
         *         try again with back-off
         */
        default boolean refused() {
            return false;
        }
    }

    /** A direct method's answer. */
    record MethodAnswer(int status, String payload) {
    }

    /** Publishes on the connection (QoS 1). */
    @FunctionalInterface
    interface Sender {
        /** @return whether it was handed to the connection (false: not connected; logged) */
        boolean send(String topic, String body);
    }

    /** Something else spoken over this identity's connection; called on the worker. */
    interface Extension {
        /** @return the topic filter it is answered on, subscribed at each connect */
        String topicFilter();

        /** @return every topic filter it needs, subscribed at each connect (by default {@link #topicFilter()}) */
        default java.util.List<String> topicFilters() {
            return java.util.List.of(topicFilter());
        }

        /** @return whether a topic is one of its own (they go to {@link #received}) */
        boolean owns(String topic);

        /** The connection is up and subscribed: it may send until {@link #disconnected}. */
        void connected(Sender sender);

        /** The connection is lost or closed. */
        void disconnected();

        /** A message on one of its topics. */
        void received(String topic, String body);
    }

    /** No extension. */
    static final Extension NONE = null;

    private static final Logger LOG = LoggerFactory.getLogger(TwinClient.class);

    private final String deviceId;
    private final String moduleId;
    private final String key;
    private final CloudTwins.Config config;
    private final Extension extension;
    private final Handler handler;
    private final ObjectMapper json;
    private final ScheduledExecutorService worker;
    private final java.util.concurrent.Executor methodRunner;
    private final MqttAsyncClient client;
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean running = true;
    private String lastGetRid;
    /** The reported properties as the hub holds them, after the last GET and the patches since; null before. */
    private ObjectNode atHub;
    /** The delay before the next connect attempt after one failed: 1 s, doubling up to 10 s (as the upstream). */
    /** Whether the link's loss was logged already (runs on the worker and Paho's thread: volatile). */
    private volatile boolean down;
    private final Backoff reconnect = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

    /**
     * Makes the client and starts connecting (on the worker).
     *
     * @param key the Base64 key its SAS tokens are signed with
     * @param extension what else it speaks over its connection, or {@link #NONE}
     * @param worker runs all of this client's work but direct methods
     * @param methodRunner runs direct methods, which may take long
     */
    TwinClient(String deviceId, String moduleId, String key, CloudTwins.Config config, Handler handler,
            Extension extension, ObjectMapper json, ScheduledExecutorService worker,
            java.util.concurrent.Executor methodRunner) throws MqttException {
        this.deviceId = deviceId;
        this.methodRunner = methodRunner;
        this.moduleId = moduleId;
        this.key = key;
        this.extension = extension;
        this.config = config;
        this.handler = handler;
        this.json = json;
        this.worker = worker;
        this.client = new MqttAsyncClient(config.url(), deviceId + "/" + moduleId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                down = true;
                LOG.warn("Twin {}/{} lost its connection to {} ({}); reconnecting with back-off (1 s up to 10 s)",
                        deviceId, moduleId, config.url(), cause.toString());
                if (extension != null) {
                    worker.execute(extension::disconnected);
                }
                worker.schedule(TwinClient.this::connect, 1, TimeUnit.SECONDS);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String body = new String(message.getPayload(), StandardCharsets.UTF_8);
                worker.execute(() -> received(topic, body));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        worker.execute(this::connect);
    }

    /** @return whether it is connected to the hub now */
    boolean connected() {
        return client.isConnected();
    }

    void close() {
        running = false;
        if (extension != null) {
            extension.disconnected();
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.debug("Closing the twin client {}/{}: {}", deviceId, moduleId, e.toString());
        }
    }

    private void connect() {
        if (!running || client.isConnected()) {
            return;
        }
        String resource = config.host_name() + "/devices/" + deviceId + "/modules/" + moduleId;
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setKeepAliveInterval(60);
        if (!config.tls_ca().isEmpty()) {
            try {
                o.setSocketFactory(org.outpost.protocol.TrustedCertificates.socketFactory(java.nio.file.Path.of(
                        System.getProperty("karaf.etc", "etc")).resolve(config.tls_ca())));
            } catch (java.io.IOException e) {
                LOG.error("Twin {}/{}: cannot use tls.ca of {}: {}; trying again in 60 s", deviceId, moduleId,
                        CloudTwins.PID, e.getMessage());
                worker.schedule(this::connect, 60, TimeUnit.SECONDS);
                return;
            }
        }
        o.setUserName(config.host_name() + "/" + deviceId + "/" + moduleId + "/?api-version=2021-04-12");
        o.setPassword(SasToken.create(resource, key, Instant.now().plus(Duration.ofHours(Math.max(1,
                config.token_hours())))).toCharArray());
        try {
            client.connect(o).waitForCompletion(10_000);
            java.util.List<String> filters = new java.util.ArrayList<>(java.util.List.of(IotHubTopic.TWIN_RESPONSES,
                    IotHubTopic.DESIRED_PATCHES, IotHubTopic.METHOD_CALLS));
            if (extension != null) {
                filters.addAll(extension.topicFilters());
            }
            String[] topics = filters.toArray(String[]::new);
            int[] qos = new int[topics.length];
            java.util.Arrays.fill(qos, 1);
            client.subscribe(topics, qos).waitForCompletion(10_000);
            reconnect.reset();
            down = false;
            LOG.info("Twin {}/{} connected to {}", deviceId, moduleId, config.url());
            atHub = null;
            requestTwin();
            if (extension != null) {
                extension.connected(this::publish);
            }
        } catch (MqttException e) {
            if ((e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                    || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED) && handler.refused()) {
                LOG.warn("The hub {} refused the twin {}/{}: {}", config.url(), deviceId, moduleId, e.getMessage());
                return;
            }
            long delayMs = reconnect.nextDelayMs();
            // One line when the link goes down; each further failed attempt only at debug level.
            if (down) {
                LOG.debug("Cannot connect the twin {}/{} to {}: {}; trying again in {} s", deviceId, moduleId,
                        config.url(), e.getMessage(), delayMs / 1000);
            } else {
                down = true;
                LOG.warn("Cannot connect the twin {}/{} to {}: {}; trying again with back-off (1 s up to 10 s)",
                        deviceId, moduleId, config.url(), e.getMessage());
            }
            worker.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void requestTwin() {
        lastGetRid = Long.toString(requestIds.incrementAndGet());
        publish(new IotHubTopic.TwinGet(lastGetRid).format(), "");
    }

    private void received(String topic, String body) {
        if (extension != null && extension.owns(topic)) {
            extension.received(topic, body);
            return;
        }
        IotHubTopic t;
        try {
            t = IotHubTopic.parse(topic).orElse(null);
        } catch (IllegalArgumentException e) {
            LOG.warn("Twin {}/{}: ignoring '{}': {}", deviceId, moduleId, topic, e.getMessage());
            return;
        }
        if (t instanceof IotHubTopic.DesiredPatch) {
            try {
                if (handler.patch(json.readTree(body))) {
                    report();
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("Twin {}/{}: cannot take the desired patch ({}); reading the whole twin", deviceId, moduleId,
                        e.toString());
            }
            requestTwin();
        } else if (t instanceof IotHubTopic.MethodCall call) {
            try {
                methodRunner.execute(() -> answer(call, body));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                publish(new IotHubTopic.MethodResponse(503, call.rid()).format(), message("the gateway is busy"));
            }
        } else if (t instanceof IotHubTopic.TwinResponse r && r.rid().equals(lastGetRid)) {
            if (r.status() != 200) {
                LOG.warn("Twin {}/{}: the hub answered the twin request with {}: {}", deviceId, moduleId,
                        r.status(), body);
                return;
            }
            try {
                JsonNode twin = json.readTree(body);
                JsonNode reported = twin.path("reported");
                atHub = reported.isObject() ? ((ObjectNode) reported).deepCopy() : json.createObjectNode();
                atHub.remove("$version");
                handler.apply(twin);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("Twin {}/{}: cannot apply the twin from the hub: {}", deviceId, moduleId, e.toString());
            }
            report();
        } else if (t instanceof IotHubTopic.TwinResponse r && r.status() >= 400) {
            LOG.warn("Twin {}/{}: the hub refused a reported patch ({}): {}", deviceId, moduleId, r.status(), body);
            atHub = null;
            requestTwin();
        }
    }

    private void answer(IotHubTopic.MethodCall call, String body) {
        MethodAnswer a;
        try {
            JsonNode payload = body.isBlank() ? json.nullNode() : json.readTree(body);
            a = handler.call(call.method(), payload);
            if (a == null) {
                a = new MethodAnswer(501, message("no method '" + call.method() + "' on " + moduleId));
            }
        } catch (java.io.IOException e) {
            a = new MethodAnswer(400, message("the payload is not JSON: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            a = new MethodAnswer(400, message(e.getMessage()));
        } catch (Exception e) {
            LOG.warn("Twin {}/{}: method {} failed: {}", deviceId, moduleId, call.method(), e.toString());
            a = new MethodAnswer(500, message(call.method() + " failed: " + e));
        }
        publish(new IotHubTopic.MethodResponse(a.status(), call.rid()).format(), a.payload());
    }

    /** @return {@code {"message": text}} */
    String message(String text) {
        return json.createObjectNode().put("message", text).toString();
    }

    /** Sends what changed in the reported properties since what the hub holds, if anything. */
    void report() {
        if (!client.isConnected() || atHub == null) {
            return;
        }
        try {
            ObjectNode now = handler.reported();
            ObjectNode patch = TwinDocument.diff(atHub, now);
            if (patch.isEmpty()) {
                return;
            }
            publish(new IotHubTopic.ReportedPatch(Long.toString(requestIds.incrementAndGet())).format(),
                    patch.toString());
            atHub = now.deepCopy();
        } catch (RuntimeException e) {
            LOG.warn("Twin {}/{}: cannot report: {}", deviceId, moduleId, e.toString());
        }
    }

    private boolean publish(String topic, String body) {
        try {
            client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
            return true;
        } catch (MqttException e) {
            LOG.warn("Twin {}/{}: cannot send '{}': {}", deviceId, moduleId, topic, e.getMessage());
            return false;
        }
    }
}
