/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.outpost.broker.api.Broker;
import org.outpost.hub.api.Telemetry;

/** The hub lets in registered devices only, on their own topics, and ingests what they send. */
public class HubIT extends KarafTestSupport {

    @Inject
    protected Broker broker;

    @Inject
    protected Telemetry telemetry;

    @Override
    protected String distributionProperty() {
        return "outpost.hub.distribution";
    }

    @Override
    protected Option[] extraOptions() {
        return new Option[0];
    }

    @Test
    public void aRegisteredDeviceSendsTelemetryWithItsKeyAndOnlyOnItsOwnTopics() throws Exception {
        String key = createDevice("gw-test");
        createDevice("other");

        try (Device device = new Device("gw-test", key)) {
            device.publish("devices/gw-test/modules/m1/messages/events/%24.on=out&k=v", "{\"n\":1}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !telemetry.recent("gw-test", 10).isEmpty());
        Telemetry.Received r = telemetry.recent("gw-test", 10).get(0);
        assertThat(r.moduleId()).isEqualTo("m1");
        assertThat(r.message().outputName()).isEqualTo("out");
        assertThat(r.message().properties()).containsEntry("k", "v");
        assertThat(r.message().bodyAsString()).isEqualTo("{\"n\":1}");
        assertThat(shell("hub:devices")).containsPattern("gw-test\\s*\\|.*\\|\\s*1\\s*\\n");
        assertThat(shell("hub:telemetry")).contains("gw-test", "m1", "{\"n\":1}");

        // Publishing under another device's topics is refused; nothing arrives in its name.
        try (Device device = new Device("gw-test", key)) {
            assertThatThrownBy(() -> device.publish("devices/other/messages/events/", "spoofed"))
                    .isInstanceOf(MqttException.class);
        }
        try (Device device = new Device("gw-test", key)) {
            device.publish("devices/gw-test/messages/events/", "after");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> telemetry.recent("gw-test", 10).size() == 2);
        assertThat(telemetry.recent("other", 10)).isEmpty();
    }

    @Test
    public void wrongMissingAndRotatedKeysAreRefused() throws Exception {
        String key = createDevice("gw-keys");

        assertThatThrownBy(() -> new Device("gw-keys", key + "x")).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> new Device("nobody", key)).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> new Device(null, null)).isInstanceOf(MqttSecurityException.class);

        String rotated = keyOf(shell("hub:device-create --json --rotate gw-keys"));
        assertThatThrownBy(() -> new Device("gw-keys", key)).isInstanceOf(MqttSecurityException.class);
        new Device("gw-keys", rotated).close();
    }

    private String createDevice(String id) throws Exception {
        return keyOf(shell("hub:device-create --json " + id));
    }

    private static String keyOf(String json) {
        Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as("a key in: " + json).isTrue();
        return m.group(1);
    }

    /** A device connecting to the hub's MQTT endpoint. */
    private final class Device implements AutoCloseable {
        private final MqttClient client;

        Device(String id, String key) throws MqttException {
            client = new MqttClient(broker.acceptorUrl("MQTT").orElseThrow(), id == null ? "anonymous" : id,
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            if (id != null) {
                o.setUserName(id);
                o.setPassword(key.toCharArray());
            }
            client.connect(o);
        }

        void publish(String topic, String body) throws MqttException {
            client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
