/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import java.util.Objects;

/**
 * One module as the runtime sees it, for {@code edge:list}.
 *
 * @param name the module id
 * @param type how the module runs: {@code bundle}, {@code camel} (a route module: a bundle made from Camel route
 *            files), or {@code container} (a process or an OCI container of a deployment)
 * @param state the module's state, see {@link ModuleState}
 * @param bundleId the bundle id, or -1 when the module is not a bundle
 * @param version the module's version (the bundle version for bundles)
 * @param managed true if a deployment installed it, false if it was dropped into {@code deploy/} by hand
 * @param sent messages the module sent to its outputs since the gateway started
 * @param received messages delivered to the module's inputs since the gateway started
 * @param reason why the module is not running (resolution or activation error), or an empty string
 */
public record ModuleInfo(String name, String type, ModuleState state, long bundleId, String version, boolean managed,
        long sent, long received, String reason) {

    public ModuleInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(version, "version");
        reason = reason == null ? "" : reason;
    }
}
