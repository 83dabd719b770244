/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A module's identity: {@code <deviceId>/<moduleId>} with its own symmetric keys (Base64, 32 random bytes each), as
 * IoT Hub keeps a module identity. {@link #toString()} names no key.
 *
 * @param deviceId the gateway's device id
 * @param moduleId the module
 * @param generationId changes each time the identity is made anew (IoT Edge's {@code IOTEDGE_MODULEGENERATIONID}):
 *            a module deleted and added again is another generation, and the workload API refuses the old one
 * @param primaryKey its primary key
 * @param secondaryKey its secondary key
 * @param created when this generation was made
 * @param registered whether the hub holds this generation (false while the hub has not been told yet)
 */
public record ModuleIdentity(String deviceId, String moduleId, String generationId, String primaryKey,
        String secondaryKey, Instant created, boolean registered) {

    public ModuleIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(secondaryKey, "secondaryKey");
        Objects.requireNonNull(created, "created");
    }

    /** @return {@code <deviceId>/<moduleId>}, its MQTT client id */
    public String id() {
        return deviceId + "/" + moduleId;
    }

    /** @return the same identity, marked as held by the hub or not */
    public ModuleIdentity withRegistered(boolean held) {
        return new ModuleIdentity(deviceId, moduleId, generationId, primaryKey, secondaryKey, created, held);
    }

    @Override
    public String toString() {
        return "ModuleIdentity[" + id() + ", generation " + generationId + (registered ? ", at the hub" : "") + "]";
    }
}
