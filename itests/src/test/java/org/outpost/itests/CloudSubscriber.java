/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.protocol.TelemetryTopic;

/**
 * Reads the gateway's telemetry at the cloud broker, as a cloud application would: a persistent MQTT session, QoS 1.
 */
final class CloudSubscriber implements AutoCloseable {

    /** One message as the cloud got it. */
    record Received(TelemetryTopic topic, String body) {
    }

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    CloudSubscriber(int port, String clientId) throws MqttException {
        client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        connect();
    }

    void connect() throws MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxInflight(1000);
        client.connect(o);
        client.subscribe(TelemetryTopic.FILTER_ALL, 1, (topic, message) -> received.add(new Received(
                TelemetryTopic.parse(topic).orElseThrow(), new String(message.getPayload(), StandardCharsets.UTF_8))));
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
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
