/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.List;
import java.util.function.Supplier;

import org.outpost.downstream.api.ChildRelay;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;

/**
 * Twins and cloud-to-device messages at the gateway's endpoint: its own modules' twins are the gateway's copies
 * ({@link TwinAdapter}, and they get no cloud-to-device messages, as in IoT Edge); every other identity is a child,
 * whose twin and messages the {@link ChildRelay} relays to the hub (or the parent gateway).
 */
final class ChildTwins implements TwinService, CloudToDeviceSource {

    private final Supplier<String> gatewayId;
    private final TwinService modules;
    private final ChildRelay relay;

    ChildTwins(Supplier<String> gatewayId, TwinService modules, ChildRelay relay) {
        this.gatewayId = gatewayId;
        this.modules = modules;
        this.relay = relay;
    }

    /** @return whether the identity is one of the gateway's own modules (else it is a child) */
    static boolean own(Identity identity, String gatewayId) {
        return identity.kind() == Identity.Kind.MODULE && identity.deviceId().equals(gatewayId);
    }

    private boolean own(Identity identity) {
        return own(identity, gatewayId.get());
    }

    @Override
    public TwinDocument twin(Identity identity) {
        return own(identity) ? modules.twin(identity) : relay.twin(identity);
    }

    @Override
    public TwinDocument patchReported(Identity identity, String patchJson) {
        return own(identity) ? modules.patchReported(identity, patchJson) : relay.patchReported(identity,
                patchJson);
    }

    @Override
    public Subscription onDesiredPatch(DesiredPatchListener listener) {
        Subscription a = modules.onDesiredPatch(listener);
        Subscription b = relay.onDesiredPatch((identity, version, patch) -> {
            if (!own(identity)) {
                listener.desiredPatch(identity, version, patch);
            }
        });
        return () -> {
            try {
                a.close();
            } finally {
                b.close();
            }
        };
    }

    @Override
    public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
        return own(identity) ? List.of() : relay.cloudToDevice().waiting(identity, afterSeq, max);
    }

    @Override
    public void delivered(Identity identity, CloudToDeviceMessage message) {
        if (!own(identity)) {
            relay.cloudToDevice().delivered(identity, message);
        }
    }

    @Override
    public Subscription onMessage(Identity identity, Runnable arrived) {
        return own(identity) ? () -> {
        } : relay.cloudToDevice().onMessage(identity, arrived);
    }
}
