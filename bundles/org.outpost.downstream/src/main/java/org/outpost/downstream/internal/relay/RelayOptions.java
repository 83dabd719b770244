/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.IotHubTopic;

/** How a relay connection connects and what it subscribes to, as the IoT Hub MQTT contract has it. */
final class RelayOptions {

    static final String API_VERSION = "2021-04-12";

    private RelayOptions() {
    }

    /** The largest MQTT packet taken from the hub (twins are at most a few 64 KB sections; messages 256 KB). */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    /**
     * @return the options of one connect: the child's IoT Hub user name, and a new token of the gateway as the
     *         password (on its behalf; never logged)
     */
    static MqttConnection.Options connect(URI uri, HubLink hub, Identity identity, Duration tokenValidity) {
        return new MqttConnection.Options(uri, hub.sslContext().orElse(null), identity.id(), hub.hubHostName() + "/"
                + identity.id() + "/?api-version=" + API_VERSION, hub.gatewayToken(tokenValidity), 60,
                Duration.ofSeconds(10), MAX_MESSAGE_BYTES);
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
