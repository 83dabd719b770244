/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.TwinDocument;

/**
 * Relays what a child identity connected to this gateway does with the cloud: its twin, direct methods and
 * cloud-to-device messages, over a connection to the hub (or the parent gateway) that the gateway opens for it on
 * its behalf ({@link HubLink#gatewayToken}). While the hub is away its twin is the gateway's copy and its reported
 * patches wait on disk, in order; cloud-to-device messages wait at the hub (each is acknowledged there only when the
 * child acknowledged it here). Telemetry does not pass here: it takes the routes.
 */
@ProviderType
public interface ChildRelay {

    /** Calls a direct method on a child connected to this gateway's endpoint. */
    @FunctionalInterface
    interface Methods {
        /** @return completes with the child's answer (404 not connected, 504 no answer in time); never exceptionally */
        CompletionStage<MethodResult> invoke(Identity child, String method, String payload, Duration timeout);
    }

    /**
     * The state of one relayed identity.
     *
     * @param identity the child identity
     * @param upstream whether its connection to the hub (or the parent) is up
     * @param since when that connection last came up or went down
     * @param queuedReported reported patches waiting for the hub
     * @param pendingCloudToDevice cloud-to-device messages handed to the child and not yet acknowledged by it
     */
    record Link(Identity identity, boolean upstream, Instant since, int queuedReported, int pendingCloudToDevice) {
    }

    /** A child identity got a connection here: its relay connects (the calls from the cloud go through methods). */
    void connected(Identity child, Methods methods);

    /** A child identity's last connection here ended: its relay disconnects. */
    void disconnected(Identity child);

    /**
     * @return the child's twin: the hub's (and kept as the gateway's copy), or the copy while the hub is away (empty
     *         if there is none)
     */
    TwinDocument twin(Identity child);

    /**
     * Stores a reported patch on the gateway (then sends it to the hub, in order, when connected).
     *
     * @return the twin after the patch, as far as the gateway knows it
     * @throws org.outpost.protocol.TwinException if the patch is refused (answered 400 with the reason)
     */
    TwinDocument patchReported(Identity child, String patchJson);

    /** @return stops it; the listener hears every desired patch the hub sends for a relayed child */
    Subscription onDesiredPatch(DesiredPatchListener listener);

    /** @return where the children's cloud-to-device messages wait (the relay hands over those the hub sent) */
    CloudToDeviceSource cloudToDevice();

    /** A child gateway's identity registry request (its modules' identities), forwarded to the hub. */
    IdentityRegistry.Answer putModule(Identity child, String moduleId, String bodyJson);

    /** A child gateway's identity registry request, forwarded to the hub. */
    IdentityRegistry.Answer deleteModule(Identity child, String moduleId);

    /** @return every relayed identity's state */
    List<Link> links();
}
