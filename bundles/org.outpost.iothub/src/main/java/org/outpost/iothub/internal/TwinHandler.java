/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.nio.charset.StandardCharsets;

import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's twin: answers {@code $iothub/twin/GET} and reported patches on {@code $iothub/twin/res/...}, and
 * sends desired patches on {@code $iothub/twin/PATCH/properties/desired/...}, each only if the client subscribed.
 */
final class TwinHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TwinHandler.class);

    private final Identity identity;
    private final TwinService twins;
    private final Outbox out;

    TwinHandler(Identity identity, TwinService twins, Outbox out) {
        this.identity = identity;
        this.twins = twins;
        this.out = out;
    }

    void get(String rid) {
        TwinDocument twin = twins.twin(identity);
        out.send(IotHubTopic.TWIN_RESPONSES, new IotHubTopic.TwinResponse(200, rid, null).format(), twin.toJson());
    }

    void patchReported(String rid, byte[] payload) {
        try {
            TwinDocument twin = twins.patchReported(identity, new String(payload, StandardCharsets.UTF_8));
            out.send(IotHubTopic.TWIN_RESPONSES, new IotHubTopic.TwinResponse(204, rid, twin.reportedVersion())
                    .format(), "");
        } catch (TwinException e) {
            LOG.warn("Refused a reported patch of {}: {}", identity, e.getMessage());
            out.send(IotHubTopic.TWIN_RESPONSES, new IotHubTopic.TwinResponse(400, rid, null).format(),
                    MethodResult.message(e.getMessage()));
        }
    }

    /** Sends a desired patch, if the client subscribed to them. */
    void desiredPatch(long version, String patch) {
        out.send(IotHubTopic.DESIRED_PATCHES, new IotHubTopic.DesiredPatch(version).format(), patch);
    }
}
