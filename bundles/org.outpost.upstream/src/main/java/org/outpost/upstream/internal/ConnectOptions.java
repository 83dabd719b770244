/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TrustedCertificates;

/**
 * The MQTT connect options of one connect to the cloud: MQTT 3.1.1, a persistent session (clean session off, so the
 * cloud keeps what it holds for the gateway while it is away), no automatic reconnect (the link does that with its own
 * back-off), and the credentials: an IoT Hub SAS token made now when there is a SAS key, else the configured user name
 * and password.
 */
final class ConnectOptions {

    /** The IoT Hub API version in the user name of a device that signs in with a SAS token. */
    static final String IOT_HUB_API_VERSION = "2021-04-12";

    private ConnectOptions() {
    }

    /**
     * @param s the upstream settings
     * @param deviceId the gateway's device id
     * @param etc where a relative {@code tls.ca} file is
     * @param now when the SAS token's validity starts
     * @throws IOException if the {@code tls.ca} file cannot be read
     */
    static MqttConnectOptions of(UpstreamSettings s, String deviceId, Path etc, Instant now) throws IOException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setKeepAliveInterval(s.keepAliveSeconds());
        options.setAutomaticReconnect(false);
        options.setMaxInflight(s.maxInflight() + 10);
        if (!s.tlsCa().isEmpty()) {
            options.setSocketFactory(TrustedCertificates.socketFactory(etc.resolve(s.tlsCa())));
        }
        if (!s.sasKey().isEmpty()) {
            options.setUserName(s.username().isEmpty() ? s.sasHostName() + "/" + deviceId
                    + "/?api-version=" + IOT_HUB_API_VERSION : s.username());
            options.setPassword(SasToken.create(s.sasHostName() + "/devices/" + deviceId, s.sasKey(),
                    now.plus(Duration.ofHours(s.sasTokenHours()))).toCharArray());
        } else {
            if (!s.username().isEmpty()) {
                options.setUserName(s.username());
            }
            if (!s.password().isEmpty()) {
                options.setPassword(s.password().toCharArray());
            }
        }
        return options;
    }
}
