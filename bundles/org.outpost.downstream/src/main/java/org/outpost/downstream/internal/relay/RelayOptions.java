/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.IotHubTopic;

/** How a relay connection connects and what it subscribes to, as the IoT Hub MQTT contract has it. */
final class RelayOptions {

    static final String API_VERSION = "2021-04-12";

    private RelayOptions() {
    }

    /**
     * @return the options of one connect: the child's IoT Hub user name, and a new token of the gateway as the
     *         password (on its behalf; never logged)
     */
    static MqttConnectOptions connect(HubLink hub, Identity identity, Duration tokenValidity) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setKeepAliveInterval(60);
        o.setConnectionTimeout(10);
        o.setMaxInflight(64);
        o.setAutomaticReconnect(false);
        hub.socketFactory().ifPresent(o::setSocketFactory);
        o.setUserName(hub.hubHostName() + "/" + identity.id() + "/?api-version=" + API_VERSION);
        o.setPassword(hub.gatewayToken(tokenValidity).toCharArray());
        return o;
    }

    /**
     * @return the twin answers, desired patches and method calls; the identity registry's answers where requests
     *         can come from (a child gateway or its {@code $edgeAgent}); a device's cloud-to-device messages
     */
    static String[] filters(Identity identity) {
        List<String> filters = new ArrayList<>(List.of(IotHubTopic.TWIN_RESPONSES, IotHubTopic.DESIRED_PATCHES,
                IotHubTopic.METHOD_CALLS));
        if (identity.kind() == Identity.Kind.CHILD_GATEWAY || "$edgeAgent".equals(identity.moduleId())) {
            filters.add(IotHubTopic.IDENTITY_RESPONSES);
        }
        if (identity.moduleId() == null) {
            filters.add(IotHubTopic.CloudToDevice.filter(identity.deviceId()));
        }
        return filters.toArray(String[]::new);
    }
}
