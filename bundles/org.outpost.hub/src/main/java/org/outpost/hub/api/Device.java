/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.time.Instant;

/**
 * A device identity at the hub (a gateway or a plain device).
 *
 * @param id the device id
 * @param created when it was created
 * @param lastSeen when it last authenticated, sent telemetry or reported, or null
 * @param messages telemetry messages received from it since it was registered, by every hub node, kept across hub
 *            restarts (unlike {@link Telemetry#received()}, which counts from this node's start)
 * @param enabled false while it is disabled (it cannot connect; its twins and deployments are kept)
 * @param connections its connections to this hub now (the device and its modules, {@code $edgeAgent} included), 0
 *            when it is disconnected
 * @param secondaryKey whether it has a secondary key besides the primary (both are accepted)
 * @param parentId the gateway it is below (which connects it, or acts for it), or null if it has none
 */
public record Device(String id, Instant created, Instant lastSeen, long messages, boolean enabled, int connections,
        boolean secondaryKey, String parentId) {

    /** A device without a parent. */
    public Device(String id, Instant created, Instant lastSeen, long messages, boolean enabled, int connections,
            boolean secondaryKey) {
        this(id, created, lastSeen, messages, enabled, connections, secondaryKey, null);
    }

    /** @return "connected" or "disconnected", as IoT Hub's connectionState */
    public String connectionState() {
        return connections > 0 ? "connected" : "disconnected";
    }
}
