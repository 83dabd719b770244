/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The cloud's side: a subscriber on a plain broker counting the telemetry that arrives ({@code devices/+/messages/
 * events/#}), and when the first and the last message came.
 */
public final class CloudCounter implements AutoCloseable {

    public static final String TELEMETRY = "devices/+/messages/events/#";
    private final MqttClient client;
    private final AtomicLong received = new AtomicLong();
    private volatile long firstNanos;
    private volatile long lastNanos;

    /** Connects to {@code tcp://127.0.0.1:<port>} and subscribes (QoS 1). */
    public CloudCounter(int port, String filter) throws MqttException {
        client = new MqttClient("tcp://127.0.0.1:" + port, "bench-cloud-counter", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                if (received.getAndIncrement() == 0) {
                    firstNanos = now;
                }
                lastNanos = now;
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        client.connect(o);
        client.subscribe(filter, 1);
    }

    /** @return messages received since the last {@link #reset} */
    public long received() {
        return received.get();
    }

    /** @return messages per second between the first and the last arrival (0 for fewer than two) */
    public double perSecond() {
        long n = received.get();
        double s = (lastNanos - firstNanos) / 1e9;
        return n < 2 || s <= 0 ? 0 : (n - 1) / s;
    }

    /** @return when the last message arrived ({@link System#nanoTime}), 0 before the first */
    public long lastNanos() {
        return lastNanos;
    }

    /** Starts counting again. */
    public void reset() {
        received.set(0);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
