/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.List;

import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.PropertyBag;

/**
 * A device's cloud-to-device messages wait in the hub's {@link C2dStore}; one stored through any hub node is
 * announced to the node that holds the device's connection.
 */
final class HubCloudToDevice implements CloudToDeviceSource {

    private final C2dStore messages;

    HubCloudToDevice(C2dStore messages) {
        this.messages = messages;
    }

    @Override
    public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
        return messages.waiting(identity.deviceId(), afterSeq, max).stream().map(m -> new CloudToDeviceMessage(m.seq(),
                PropertyBag.decode(m.bag()), m.body())).toList();
    }

    @Override
    public void delivered(Identity identity, CloudToDeviceMessage message) {
        messages.delivered(message.seq());
    }

    @Override
    public Subscription onMessage(Identity identity, Runnable arrived) {
        Runnable stop = messages.onMessage(deviceId -> {
            if (deviceId.equals(identity.deviceId())) {
                arrived.run();
            }
        });
        return stop::run;
    }
}
