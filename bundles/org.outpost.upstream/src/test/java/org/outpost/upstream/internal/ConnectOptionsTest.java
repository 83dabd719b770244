/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.protocol.SasToken;

class ConnectOptionsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtZ2F0ZXdheQ==";

    @TempDir
    Path etc;

    private static UpstreamSettings settings(String username, String password, String sasKey, String tlsCa) {
        return new UpstreamSettings("tcp://127.0.0.1:1883", "", username, password, TopicTemplate.IOT_HUB_MODULE_EVENTS,
                1, 45, 1000, 60000, 100, sasKey, "hub.example", 2, tlsCa);
    }

    @Test
    void aSessionThatOutlivesTheConnectionAndNoAutomaticReconnect() throws Exception {
        MqttConnectOptions o = ConnectOptions.of(settings("", "", "", ""), "gw1", etc, NOW);

        assertThat(o.getMqttVersion()).isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1_1);
        assertThat(o.isCleanSession()).isFalse();
        assertThat(o.isAutomaticReconnect()).isFalse();
        assertThat(o.getKeepAliveInterval()).isEqualTo(45);
        assertThat(o.getMaxInflight()).isEqualTo(110);
        assertThat(o.getUserName()).isNull();
        assertThat(o.getPassword()).isNull();
    }

    @Test
    void withoutASasKeyTheConfiguredUserNameAndPasswordSignIn() throws Exception {
        MqttConnectOptions o = ConnectOptions.of(settings("gw1", "secret", "", ""), "gw1", etc, NOW);

        assertThat(o.getUserName()).isEqualTo("gw1");
        assertThat(o.getPassword()).isEqualTo("secret".toCharArray());
    }

    @Test
    void withASasKeyATokenMadeNowIsThePasswordAndTheUserNameIsIotHubs() throws Exception {
        MqttConnectOptions o = ConnectOptions.of(settings("", "ignored", KEY, ""), "gw1", etc, NOW);

        assertThat(o.getUserName()).isEqualTo("hub.example/gw1/?api-version=2021-04-12");
        assertThat(new String(o.getPassword())).isEqualTo(SasToken.create("hub.example/devices/gw1", KEY,
                NOW.plus(Duration.ofHours(2))));
        assertThat(ConnectOptions.of(settings("custom", "", KEY, ""), "gw1", etc, NOW).getUserName())
                .isEqualTo("custom");
    }

    @Test
    void aTlsCaFileThatCannotBeReadFailsTheConnect() {
        assertThatThrownBy(() -> ConnectOptions.of(settings("", "", "", "missing.pem"), "gw1", etc, NOW))
                .isInstanceOf(java.io.IOException.class);
    }
}
