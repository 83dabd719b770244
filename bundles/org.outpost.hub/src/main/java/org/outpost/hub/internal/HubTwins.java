/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;

/**
 * The twins of the IoT Hub endpoint's identities are the hub's {@link TwinStore}: a device's own, or its module's. It
 * hears of desired changes made through any hub node.
 */
final class HubTwins implements TwinService {

    private final TwinStore twins;

    HubTwins(TwinStore twins) {
        this.twins = twins;
    }

    @Override
    public TwinDocument twin(Identity identity) {
        return twins.twin(identity.deviceId(), identity.moduleId());
    }

    @Override
    public TwinDocument patchReported(Identity identity, String patchJson) {
        return twins.patchReported(identity.deviceId(), identity.moduleId(), patchJson);
    }

    @Override
    public Subscription onDesiredPatch(DesiredPatchListener listener) {
        TwinStore.DesiredListener l = (deviceId, moduleId, patch, twin) -> listener.desiredPatch(Identity.of(deviceId,
                moduleId), twin.desiredVersion(), patch);
        twins.addListener(l);
        return () -> twins.removeListener(l);
    }
}
