/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.List;

import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;

/**
 * The hub's stores as the IoT Hub endpoint's session threads call them: what needs the database goes through the
 * {@link DatabaseGate}, so that no session waits longer than the gate allows and none waits at all while the database
 * does not answer (the endpoint then refuses CONNECTs with "server unavailable"; a twin request closes its connection,
 * which the device opens again; cloud-to-device messages wait). The decisions stay with the stores.
 */
final class GatedSpis {

    private GatedSpis() {
    }

    static IdentityAuthenticator authenticator(DatabaseGate gate, IdentityAuthenticator authenticator) {
        return (claimed, credentials) -> gate.call("checking the credentials of " + claimed, () -> authenticator
                .authenticate(claimed, credentials));
    }

    static TwinService twins(DatabaseGate gate, TwinService twins) {
        return new TwinService() {
            @Override
            public TwinDocument twin(Identity identity) {
                return gate.call("reading the twin of " + identity, () -> twins.twin(identity));
            }

            @Override
            public TwinDocument patchReported(Identity identity, String patchJson) {
                return gate.call("storing a reported patch of " + identity, () -> twins.patchReported(identity,
                        patchJson));
            }

            @Override
            public Subscription onDesiredPatch(DesiredPatchListener listener) {
                return twins.onDesiredPatch(listener);
            }
        };
    }

    static CloudToDeviceSource cloudToDevice(DatabaseGate gate, CloudToDeviceSource source) {
        return new CloudToDeviceSource() {
            @Override
            public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq,
                    int max) {
                return gate.call("reading the cloud-to-device messages of " + identity, () -> source.waiting(
                        identity, afterSeq, max));
            }

            @Override
            public void delivered(Identity identity, CloudToDeviceMessage message) {
                gate.call("removing a delivered cloud-to-device message of " + identity, () -> {
                    source.delivered(identity, message);
                    return null;
                });
            }

            @Override
            public Subscription onMessage(Identity identity, Runnable arrived) {
                return source.onMessage(identity, arrived);
            }
        };
    }

    static IdentityRegistry identities(DatabaseGate gate, IdentityRegistry registry) {
        return new IdentityRegistry() {
            @Override
            public Answer putModule(Identity caller, String moduleId, String bodyJson) {
                return gate.call("registering module " + moduleId + " of " + caller, () -> registry.putModule(
                        caller, moduleId, bodyJson));
            }

            @Override
            public Answer deleteModule(Identity caller, String moduleId) {
                return gate.call("deleting module " + moduleId + " of " + caller, () -> registry.deleteModule(
                        caller, moduleId));
            }

            @Override
            public Answer scope(Identity caller) {
                return gate.call("reading the device scope of " + caller, () -> registry.scope(caller));
            }

            @Override
            public org.outpost.iothub.spi.Subscription onScopeChange(Identity caller,
                    java.util.function.LongConsumer changed) {
                return registry.onScopeChange(caller, changed);
            }
        };
    }
}
