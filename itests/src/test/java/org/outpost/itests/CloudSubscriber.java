/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.protocol.TelemetryTopic;

/**
 * Reads the gateway's telemetry at the cloud broker, as a cloud application would: a persistent MQTT session, QoS 1.
 * When the broker goes away it tries to connect again every quarter of a second until it is back (its own loop: Paho's
 * automatic reconnect was seen to hang on a connection the restarting broker had accepted but not yet served, so the
 * session's messages waited unread).
 */
final class CloudSubscriber implements AutoCloseable {

    /** One message as the cloud got it. */
    record Received(TelemetryTopic topic, String body) {
    }

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cloud-subscriber-reconnect");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    CloudSubscriber(int port, String clientId) throws MqttException {
        client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                reconnector.execute(CloudSubscriber.this::reconnect);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(TelemetryTopic.parse(topic).orElseThrow(),
                        new String(message.getPayload(), StandardCharsets.UTF_8)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        connect();
    }

    private void connect() throws MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setConnectionTimeout(5);
        o.setMaxInflight(1000);
        client.connect(o);
        client.subscribe(TelemetryTopic.FILTER_ALL, 1);
    }

    /** Runs on the reconnector: one attempt, and the next a quarter of a second later if it failed. */
    private void reconnect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            connect();
        } catch (MqttException e) {
            reconnector.schedule(this::reconnect, 250, TimeUnit.MILLISECONDS);
        }
    }

    /** @return every message, in arrival order */
    List<Received> all() {
        return List.copyOf(received);
    }

    /** @return the messages of one module, in arrival order */
    List<Received> from(String module) {
        return received.stream().filter(r -> module.equals(r.topic().moduleId())).toList();
    }

    @Override
    public void close() throws MqttException {
        closed = true;
        reconnector.shutdownNow();
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
