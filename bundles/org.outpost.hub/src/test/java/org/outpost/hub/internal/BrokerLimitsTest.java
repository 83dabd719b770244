/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits per identity on the hub's broker MQTT port, on real sockets. */
class BrokerLimitsTest {

    @TempDir
    Path dir;

    private HubListeners hub;
    private String key;

    @BeforeEach
    void setUp() throws Exception {
        hub = new HubListeners(dir, Map.of("mqtt_max_subscriptions", 3));
        key = hub.devices.create("gw");
    }

    @AfterEach
    void tearDown() throws Exception {
        hub.close();
    }

    @Test
    void aDeviceCannotTakeTheClientIdOfTheHubsIngestionOrOfAnotherDevice() throws Exception {
        hub.devices.create("other");
        MqttClient ingest = hub.atBroker("outpost-hub-ingest", DeviceAuthenticator.INTERNAL_USER,
                hub.authenticator.internalToken());
        MqttClient other = hub.atBroker("other", "other", hub.devices.rotateKey("other"));
        try {
            assertThatThrownBy(() -> hub.atBroker("outpost-hub-ingest", "gw", key)).isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(5);
            assertThatThrownBy(() -> hub.atBroker("other", "gw", key)).isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(5);

            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> ingest.isConnected()
                    && other.isConnected());
        } finally {
            HubListeners.closeQuietly(ingest);
            HubListeners.closeQuietly(other);
        }
    }

    @Test
    void aSecondConnectionOfTheSameIdentityReplacesTheFirst() throws Exception {
        MqttClient first = hub.atBroker("gw", "gw", key);
        MqttClient second = hub.atBroker("gw", "gw", key);
        try {
            await().atMost(Duration.ofSeconds(1)).until(() -> !first.isConnected());
            assertThat(second.isConnected()).isTrue();
        } finally {
            HubListeners.closeQuietly(first);
            HubListeners.closeQuietly(second);
        }
    }

    @Test
    void aRetainedMessageClosesTheConnectionAndIsNotKept() throws Exception {
        MqttClient device = hub.atBroker("gw", "gw", key);
        try {
            assertThatThrownBy(() -> device.publish("devices/gw/messages/events/", "kept?".getBytes(
                    StandardCharsets.UTF_8), 1, true)).isInstanceOf(MqttException.class);
            assertThat(device.isConnected()).isFalse();
        } finally {
            HubListeners.closeQuietly(device);
        }
        assertThat(hub.broker.queueStats("$sys.mqtt.retain.devices.gw.messages.events")).isEmpty();
    }

    @Test
    void aWillMessageToBeRetainedIsRefusedAtConnect() {
        assertThatThrownBy(() -> hub.atBroker("gw", "gw", key, o -> o.setWill("devices/gw/messages/events/",
                "gone".getBytes(StandardCharsets.UTF_8), 1, true))).isInstanceOf(MqttException.class);
    }

    @Test
    void aSessionHoldsAtMostTheConfiguredTopicFiltersAcrossItsConnections() throws Exception {
        MqttClient device = hub.atBroker("gw", "gw", key, o -> o.setCleanSession(false));
        device.subscribe(new String[] {"devices/gw/messages/devicebound/#", "devices/gw/a"});
        device.disconnect();
        device.close();

        MqttClient again = hub.atBroker("gw", "gw", key, o -> o.setCleanSession(false));
        try {
            again.subscribe("devices/gw/b");
            assertThat(again.isConnected()).isTrue();
            assertThatThrownBy(() -> again.subscribe("devices/gw/c")).isInstanceOf(MqttException.class);
            await().atMost(Duration.ofSeconds(1)).until(() -> !again.isConnected());
        } finally {
            HubListeners.closeQuietly(again);
        }
    }

    @Test
    void aSharedSubscriptionIsRefused() throws Exception {
        MqttClient device = hub.atBroker("gw", "gw", key);
        try {
            assertThatThrownBy(() -> device.subscribe("$share/mine/devices/gw/a")).isInstanceOf(MqttException.class);
            await().atMost(Duration.ofSeconds(1)).until(() -> !device.isConnected());
        } finally {
            HubListeners.closeQuietly(device);
        }
    }

    @Test
    void theHubsOwnClientIsNotLimited() throws Exception {
        MqttClient ingest = hub.atBroker("outpost-hub-ingest", DeviceAuthenticator.INTERNAL_USER,
                hub.authenticator.internalToken());
        try {
            ingest.subscribe(new String[] {"devices/+/a", "devices/+/b", "devices/+/c", "devices/+/d"});
            assertThat(ingest.isConnected()).isTrue();
        } finally {
            HubListeners.closeQuietly(ingest);
        }
    }
}
