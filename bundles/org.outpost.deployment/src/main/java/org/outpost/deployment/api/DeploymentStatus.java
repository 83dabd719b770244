/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deployment status in the IoT Edge reported-properties shape.
 *
 * @param lastDesiredVersion the version of the last deployment given to the gateway, applied or not: the
 *            {@code $version} of its {@code $edgeAgent} desired properties, or one more than the previous for a
 *            manifest without one; 0 before the first
 * @param lastDesiredStatus the outcome of the last deployment: code and description; {@code null} before the first
 * @param modules each deployed module's status
 */
public record DeploymentStatus(long lastDesiredVersion, Outcome lastDesiredStatus, Map<String, ModuleStatus> modules) {

    public DeploymentStatus {
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /** An outcome: {@code {"code": 200, "description": ""}}. */
    public record Outcome(int code, String description) {
    }

    /**
     * @param type bundle, feature, container
     * @param version the manifest's version label
     * @param status the desired status: running or stopped
     * @param runtimeStatus unknown, pulling (its container image), backoff (waiting to be restarted), running,
     *            stopped, failed (not restarted), unhealthy, dead
     * @param statusDescription why it is not running, or empty
     * @param lastStartTimeUtc when it was last started, or {@code null}
     * @param restartCount restarts by its restart policy since it last ran for the reset period
     * @param lastRestartTimeUtc when its restart policy last restarted it, or {@code null}
     * @param exitCode a container module's last exit code, or {@code null}
     * @param lastExitTimeUtc when a container module's process last ended, or {@code null}
     */
    public record ModuleStatus(String type, String version, String status, String runtimeStatus,
            String statusDescription, Instant lastStartTimeUtc, int restartCount, Instant lastRestartTimeUtc,
            Integer exitCode, Instant lastExitTimeUtc) {
    }
}
