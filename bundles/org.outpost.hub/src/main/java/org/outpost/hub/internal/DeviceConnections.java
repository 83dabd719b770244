/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.Identity;

/**
 * Counts the IoT Hub endpoint's connections per device (a module's count as its device's) in the registry, and tells
 * the module identities which modules are connected to this node.
 */
final class DeviceConnections implements ConnectionListener {

    private final DeviceStore devices;
    private final ModuleStore modules;

    DeviceConnections(DeviceStore devices, ModuleStore modules) {
        this.devices = devices;
        this.modules = modules;
    }

    @Override
    public void connected(Identity identity) {
        devices.connection(identity.deviceId(), true);
        modules.connection(identity, true);
    }

    @Override
    public void disconnected(Identity identity) {
        devices.connection(identity.deviceId(), false);
        modules.connection(identity, false);
    }
}
