/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Brings the gateway to the state a deployment manifest describes, all or nothing: if any step fails, or a changed
 * module does not reach running within the probation window, everything goes back to the last good deployment.
 */
@ProviderType
public interface Deployer {

    /**
     * @param manifestJson an IoT Edge deployment manifest
     * @param dryRun only check it and say what would change
     * @return the outcome with its IoT Edge status code (200, 400, 412, 417, 500) and the plan
     */
    DeploymentResult deploy(String manifestJson, boolean dryRun);

    /** @return the outcome of the last deployment and the state of every deployed module */
    DeploymentStatus status();

    /**
     * Restarts a module, deployed or not: its bundle is stopped and started again.
     *
     * @throws IllegalArgumentException if there is no such module
     * @throws Exception if it does not start, saying why
     */
    void restart(String module) throws Exception;
}
