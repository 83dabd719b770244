/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.api;

import java.util.List;

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
     * @param module a module id
     * @return the configuration PID that gets the module's env and desired properties ({@code settings.pid}, by
     *         default {@code org.outpost.module.<module>}), if the running deployment has that module
     */
    java.util.Optional<String> configurationPid(String module);

    /**
     * Restarts a module, deployed or not: its bundle is stopped and started again.
     *
     * @throws IllegalArgumentException if there is no such module
     * @throws Exception if it does not start, saying why
     */
    void restart(String module) throws Exception;

    /**
     * @param module a module id
     * @param tail how many of the newest lines
     * @return its newest log lines: a container module's output, a bundle module's lines of the gateway log
     * @throws IllegalArgumentException if there is no such module
     */
    default List<String> logs(String module, int tail) throws java.io.IOException {
        return logs(module, LogQuery.tail(tail));
    }

    /**
     * @param module a module id
     * @param query which entries
     * @return the module's matching log entries, oldest first, each as one string (an entry may span lines, such as a
     *         stack trace): a container module's output, each line prefixed with the time it was written, or a bundle
     *         module's entries of the gateway log
     * @throws IllegalArgumentException if there is no such module
     */
    List<String> logs(String module, LogQuery query) throws java.io.IOException;
}
