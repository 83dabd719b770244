/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of changes to its module's desired properties (whiteboard: a module bundle registers this service). Calls come
 * one at a time, in version order, on a gateway thread: return quickly.
 * <p>
 * After the gateway was offline, or missed a version, it reads the whole twin again and calls with the change from what
 * the module saw last to the latest (a merge patch, {@code null} for removed keys), so a listener never misses a
 * change.
 *
 * <pre>{@code
 * @Component
 * public class Tuning implements DesiredPropertiesListener {
 *     public void desiredChanged(String patch, long version) { ... }
 * }
 * }</pre>
 */
@ConsumerType
public interface DesiredPropertiesListener {

    /**
     * @param patchJson the change, a JSON merge patch of the desired properties
     * @param version the desired version it leads to
     */
    void desiredChanged(String patchJson, long version);
}
