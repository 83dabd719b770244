/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.List;

/**
 * A container module's health command ({@code settings.healthCheck}): run in the module's directory with its
 * environment every {@code intervalSeconds}; exit code 0 is healthy. The module is unhealthy after {@code retries}
 * failed runs in a row (a run that takes longer than {@code timeoutSeconds} fails).
 *
 * @param command the command line
 * @param intervalSeconds seconds between runs, 0 for the deployment service's {@code health.interval.seconds}
 * @param timeoutSeconds how long one run may take
 * @param retries failed runs in a row before the module is unhealthy
 */
public record HealthProbe(List<String> command, int intervalSeconds, int timeoutSeconds, int retries) {

    public HealthProbe {
        command = List.copyOf(command);
    }
}
