/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of each change of a module's desired properties, after it is stored, so that a module connected over the IoT
 * Hub endpoint gets it as a desired patch ({@code $iothub/twin/PATCH/properties/desired/?$version=n}).
 */
@ConsumerType
@FunctionalInterface
public interface DesiredChangeListener {

    /**
     * @param module the module id
     * @param patchJson a JSON merge patch of its desired properties (without {@code $version})
     * @param version the desired version after the patch
     */
    void desiredChanged(String module, String patchJson, long version);
}
