/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.time.Instant;

/**
 * A module identity at the hub, as a gateway registered it for one of its modules (its keys are asked for apart:
 * {@link ModuleRegistry#keys}).
 *
 * @param deviceId the device
 * @param moduleId the module
 * @param generationId the generation the gateway gave it; a new generation replaced the old identity
 * @param created when this generation was registered
 * @param managedBy who manages it: {@code $edgeAgent}
 * @param connected true if it is connected to this hub node; false if it is not connected to any; null if that is
 *            not known (its device has connections on another hub node, which does not say whose)
 */
public record ModuleIdentity(String deviceId, String moduleId, String generationId, Instant created,
        String managedBy, Boolean connected) {
}
