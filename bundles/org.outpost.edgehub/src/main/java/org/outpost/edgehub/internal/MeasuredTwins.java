/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.function.Supplier;

import org.outpost.api.metrics.Metrics;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;

/**
 * edgeHub's twin metrics around the endpoint's twins: {@code edgehub_gettwin_total} and
 * {@code edgehub_gettwin_duration_seconds} for each twin GET, {@code edgehub_reported_properties_total} and
 * {@code edgehub_reported_properties_update_duration_seconds} for each reported patch, labelled {@code id} (the
 * client) and {@code source} (GET: {@code edge} for the gateway's own modules, answered from its copy;
 * {@code upstream} for a child's, relayed to the hub) or {@code target} (the same for patches). Failed operations
 * are counted too. Without metrics (the service gone) it only passes the calls on.
 */
final class MeasuredTwins implements TwinService {

    private final TwinService twins;
    private final Supplier<String> gatewayId;
    private volatile Metrics metrics;

    MeasuredTwins(TwinService twins, Supplier<String> gatewayId) {
        this.twins = twins;
        this.gatewayId = gatewayId;
    }

    void metrics(Metrics m) {
        metrics = m;
    }

    @Override
    public TwinDocument twin(Identity identity) {
        Metrics m = metrics;
        long start = System.nanoTime();
        try {
            return twins.twin(identity);
        } finally {
            if (m != null) {
                String source = where(identity);
                m.counter("edgehub_gettwin_total", "source", source, "id", identity.id()).increment();
                m.timer("edgehub_gettwin_duration_seconds", "source", source, "id", identity.id())
                        .record(System.nanoTime() - start);
            }
        }
    }

    @Override
    public TwinDocument patchReported(Identity identity, String patchJson) {
        Metrics m = metrics;
        long start = System.nanoTime();
        try {
            return twins.patchReported(identity, patchJson);
        } finally {
            if (m != null) {
                String target = where(identity);
                m.counter("edgehub_reported_properties_total", "target", target, "id", identity.id()).increment();
                m.timer("edgehub_reported_properties_update_duration_seconds", "target", target, "id",
                        identity.id()).record(System.nanoTime() - start);
            }
        }
    }

    @Override
    public Subscription onDesiredPatch(DesiredPatchListener listener) {
        return twins.onDesiredPatch(listener);
    }

    private String where(Identity identity) {
        return ChildTwins.own(identity, gatewayId.get()) ? "edge" : "upstream";
    }
}
