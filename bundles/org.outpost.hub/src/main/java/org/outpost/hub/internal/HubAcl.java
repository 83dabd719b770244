/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import org.outpost.iothub.IotHubAcl;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.protocol.TelemetryTopic;

/**
 * IoT Hub's topic rules ({@link IotHubAcl}), and one more for gateways: a device connected as itself may also send
 * the telemetry of the devices below it ({@code devices/<D>/...} and {@code devices/<D>/modules/<m>/...}), which its
 * upstream drain forwards for its leaf devices and child gateways, as the broker's MQTT port allows it
 * ({@link DeviceAuthenticator#authorize}). Who is below whom comes from the registry's cache; if the registry cannot
 * be read, the exception closes the connection without acknowledging the message, so it is sent again.
 */
final class HubAcl implements TopicAcl {

    private final TopicAcl iotHub = new IotHubAcl();
    private final DeviceStore devices;

    HubAcl(DeviceStore devices) {
        this.devices = devices;
    }

    @Override
    public boolean maySubscribe(Identity identity, String filter) {
        return iotHub.maySubscribe(identity, filter);
    }

    @Override
    public boolean maySend(Identity identity, TelemetryTopic topic) {
        if (iotHub.maySend(identity, topic)) {
            return true;
        }
        return identity.kind() == Identity.Kind.DEVICE && devices.isBelowCached(topic.deviceId(), identity
                .deviceId());
    }
}
