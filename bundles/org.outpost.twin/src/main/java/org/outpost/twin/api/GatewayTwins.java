/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The module twins this gateway keeps (under {@code ${karaf.data}/outpost/twins}). */
@ProviderType
public interface GatewayTwins {

    /** @return the modules that have a twin, sorted */
    List<String> modules();

    /**
     * @param module a module id
     * @return its twin, {@code {"desired": {..., "$version": n}, "reported": {..., "$version": m}}}, if it has one
     */
    Optional<String> twin(String module);

    /**
     * Patches a module's reported properties: as the module itself (a module connected over the IoT Hub endpoint),
     * or as if the module had (tests and tools).
     *
     * @return the reported version after the patch
     * @throws IllegalArgumentException if there is no such module, or the patch is not a JSON object or breaks a twin
     *             limit (naming the path); nothing changes then
     */
    long patchReported(String module, String patchJson);

    /**
     * Adds a listener of desired changes of every module (the IoT Hub endpoint sends them to the modules connected
     * over it, which apply their desired properties themselves).
     *
     * @return removes it
     */
    AutoCloseable onDesiredChange(DesiredChangeListener listener);
}
