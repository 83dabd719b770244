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
 * @param lastSeen when it last authenticated or sent telemetry, or null
 * @param messages telemetry messages received from it since the hub started
 */
public record Device(String id, Instant created, Instant lastSeen, long messages) {
}
