/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revoked identity loses its connections within a second on every listener of the hub: the broker's MQTT port and
 * the IoT Hub endpoint, when revoked on this node or on another, and cannot connect again with what was revoked.
 */
class RevocationTest {

    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private HubListeners hub;
    private String key;
    private MqttClient atBroker;
    private MqttClient atEndpoint;

    @BeforeEach
    void setUp() throws Exception {
        hub = new HubListeners(dir, Map.of());
        key = hub.devices.create("gw");
        atBroker = hub.atBroker("gw", "gw", key);
        atEndpoint = hub.atEndpoint("gw", null, key);
    }

    @AfterEach
    void tearDown() throws Exception {
        HubListeners.closeQuietly(atBroker);
        HubListeners.closeQuietly(atEndpoint);
        hub.close();
    }

    @Test
    void aDisabledDeviceIsDisconnectedFromEveryListenerWithinASecondAndRefusedAfter() {
        hub.devices.setEnabled("gw", false);

        await().atMost(AT_ONCE).until(() -> !atBroker.isConnected() && !atEndpoint.isConnected());
        assertThatThrownBy(() -> hub.atBroker("gw", "gw", key)).isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> hub.atEndpoint("gw", null, key)).isInstanceOf(MqttException.class);
    }

    @Test
    void aDeviceDisabledThroughAnotherNodeIsDisconnectedHereWithinASecond() {
        hub.devices.setEnabled("gw", false);
        // As another node would have done it: its event reaches this node.
        hub.fromAnotherNode(DeviceEvents.DISABLED, "gw");

        await().atMost(AT_ONCE).until(() -> !atBroker.isConnected() && !atEndpoint.isConnected());
    }

    @Test
    void aDeletedDeviceIsDisconnectedFromEveryListenerWithinASecond() {
        hub.devices.delete("gw");

        await().atMost(AT_ONCE).until(() -> !atBroker.isConnected() && !atEndpoint.isConnected());
    }

    @Test
    void aDeletedDevicesPersistentSessionIsForgottenWithItsSubscriptionQueues() throws Exception {
        for (String device : new String[] {"keeper", "stays"}) {
            MqttClient c = hub.atBroker(device, device, hub.devices.create(device), o -> o.setCleanSession(false));
            c.subscribe("devices/" + device + "/messages/devicebound/#", 1);
            c.disconnect();
            HubListeners.closeQuietly(c);
        }
        String address = "devices.keeper.messages.devicebound.x";
        assertThat(hub.broker.hasSubscribers(address)).as("the session's queue, while the device exists").isTrue();

        hub.devices.delete("keeper");

        await().atMost(AT_ONCE).until(() -> !hub.broker.hasSubscribers(address));
        assertThat(hub.broker.hasSubscribers("devices.stays.messages.devicebound.x")).as("another device's session")
                .isTrue();
    }

    @Test
    void aReKeyedDeviceIsDisconnectedEverywhereAndOnlyItsNewKeyLetsItBackIn() throws Exception {
        String rotated = hub.devices.rotateKey("gw");

        await().atMost(AT_ONCE).until(() -> !atBroker.isConnected() && !atEndpoint.isConnected());
        assertThatThrownBy(() -> hub.atBroker("gw", "gw", key)).isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> hub.atEndpoint("gw", null, key)).isInstanceOf(MqttException.class);
        MqttClient again = hub.atBroker("gw", "gw", rotated);
        assertThat(again.isConnected()).isTrue();
        HubListeners.closeQuietly(again);
    }

    @Test
    void aDeviceReKeyedThroughAnotherNodeIsDisconnectedHereWithinASecond() {
        hub.fromAnotherNode(DeviceEvents.REKEYED, "gw");

        await().atMost(AT_ONCE).until(() -> !atBroker.isConnected() && !atEndpoint.isConnected());
    }

    @Test
    void aChangedThumbprintDisconnectsTheDevice() {
        hub.devices.setSecondaryThumbprint("gw", "AB".repeat(32));

        await().atMost(AT_ONCE).until(() -> !atBroker.isConnected() && !atEndpoint.isConnected());
    }

    @Test
    void aDeletedModuleIdentityIsDisconnectedFromEveryListenerAndItsDeviceStays() throws Exception {
        String pumpKey = Base64.getEncoder().encodeToString(new byte[32]);
        hub.modules.put("gw", "pump", "g1", pumpKey, Base64.getEncoder().encodeToString(new byte[16]));
        MqttClient pumpAtBroker = hub.atBroker("gw/pump", HubListeners.HOST + "/gw/pump/?api-version=2021-04-12",
                pumpKey);
        MqttClient pumpAtEndpoint = hub.atEndpoint("gw", "pump", pumpKey);
        try {
            hub.modules.delete("gw", "pump");

            await().atMost(AT_ONCE).until(() -> !pumpAtBroker.isConnected() && !pumpAtEndpoint.isConnected());
            assertThat(atBroker.isConnected()).isTrue();
            assertThat(atEndpoint.isConnected()).isTrue();
        } finally {
            HubListeners.closeQuietly(pumpAtBroker);
            HubListeners.closeQuietly(pumpAtEndpoint);
        }
    }

    @Test
    void anotherDevicesChangesLeaveTheConnectionsAlone() {
        hub.devices.create("other");
        hub.devices.setEnabled("other", false);
        hub.devices.rotateKey("other");

        await().during(Duration.ofMillis(300)).atMost(AT_ONCE).until(() -> atBroker.isConnected()
                && atEndpoint.isConnected());
    }
}
