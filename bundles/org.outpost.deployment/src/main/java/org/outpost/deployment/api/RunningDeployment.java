/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The deployment that runs now, for those that need to know what it holds but must not depend on the deployment
 * service (the module twins: the deployment service reaches module components, which use their twins). The service
 * references nothing, so binding it never closes a cycle; it is empty until the deployment service has loaded the
 * running deployment, and again when that service stops.
 */
@ProviderType
public interface RunningDeployment {

    /**
     * @param module a module id
     * @return whether the running deployment has that module
     */
    boolean contains(String module);

    /**
     * @param module a module id
     * @return the configuration PID that gets the module's env and desired properties ({@code settings.pid}, by
     *         default {@code org.outpost.module.<module>}), if the running deployment has that module
     */
    Optional<String> configurationPid(String module);

    /**
     * The deployment policy's rule for configuration PIDs, for whoever else gives a module a configuration (the module
     * twins, for a bundle's Metatype PID): not the gateway's or its platform's ({@code config.reserved.pids} but
     * {@code config.allowed.pids} in {@code etc/org.outpost.deployment.cfg}), and under {@code org.outpost.module.}
     * only the module's own.
     *
     * @param module a module id
     * @param pid a configuration PID
     * @return why the module may not have that configuration, or empty if it may
     * @since 1.5
     */
    Optional<String> configurationRefused(String module, String pid);
}
