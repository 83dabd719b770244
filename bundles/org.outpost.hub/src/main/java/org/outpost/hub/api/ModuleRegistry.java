/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The module identities of devices. A gateway registers its modules' identities (with keys it makes) when it
 * connects, over the IoT Hub endpoint; each module then authenticates with its own keys. {@code $edgeAgent} and
 * {@code $edgeHub} have no identity of their own here: they authenticate with their device's credentials. A device's
 * module identities go with it.
 */
@ProviderType
public interface ModuleRegistry {

    /** A module identity's keys (Base64), which sign its SAS tokens. */
    record Keys(String primaryKey, String secondaryKey) {
        @Override
        public String toString() {
            return "Keys[...]";
        }
    }

    /**
     * @return the device's module identities, by module id
     * @throws IllegalArgumentException if there is no such device
     */
    List<ModuleIdentity> modules(String deviceId);

    /** @return the module identity, if the device has it */
    Optional<ModuleIdentity> module(String deviceId, String moduleId);

    /** @return the module identity's keys, if the device has it */
    Optional<Keys> keys(String deviceId, String moduleId);
}
