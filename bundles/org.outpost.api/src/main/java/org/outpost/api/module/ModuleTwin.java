/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A module's twin on the gateway: desired properties that the cloud (or a local deployment) sets, reported properties
 * that the module sets, each section a JSON object with its {@code $version}, as in IoT Hub.
 * <p>
 * The gateway keeps the twin under {@code ${karaf.data}}, so it is there after a restart and while the gateway is
 * offline. Desired properties also reach the module as its configuration (the module's configuration PID); a module
 * that declares a Metatype definition for that PID gets only desired properties that match it. A module that wants
 * the patches themselves registers a {@link DesiredPropertiesListener}.
 * <p>
 * Like {@link ModuleClient}, this service is bound to the module of the bundle that gets it.
 *
 * <pre>{@code
 * @Reference
 * private ModuleTwin twin;
 * ...
 * twin.patchReported("{\"threshold\": 30.5}");
 * }</pre>
 */
@ProviderType
public interface ModuleTwin {

    /** @return the module id of the bundle that holds this twin */
    String moduleId();

    /** @return the desired properties, a JSON object with {@code $version} */
    String desired();

    /** @return the reported properties, a JSON object with {@code $version} */
    String reported();

    /**
     * Patches the reported properties (a JSON merge patch: {@code null} deletes a key). The patch is stored before
     * this returns; the gateway sends it to the cloud at once when connected, and otherwise on reconnect, combined with
     * the other patches made meanwhile.
     *
     * @param patchJson a JSON object
     * @return the reported version after the patch
     * @throws IllegalArgumentException if the patch is not a JSON object or breaks a twin limit (32 KB per section,
     *             depth 10, 4 KB per value, key rules), naming the path; nothing changes then
     */
    long patchReported(String patchJson);
}
