/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.api;

import java.util.List;

/**
 * What a deployment did, or (dry run) would do.
 *
 * @param code 200 applied (or would apply), 400 format error, 412 unsupported schema, 417 empty, 500 failed and rolled
 *            back
 * @param description what went wrong and where, or empty
 * @param steps the plan: one step per module, in the order applied
 * @param dryRun whether nothing was changed on purpose
 * @param millis how long it took, from reading the manifest to every changed module running (or the rollback done)
 * @param warnings what the manifest asks for that the gateway does not honour and ignored, each with its JSON path
 *            (since 1.4)
 */
public record DeploymentResult(int code, String description, List<PlannedStep> steps, boolean dryRun, long millis,
        List<String> warnings) {

    public DeploymentResult {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /** A result without warnings. */
    public DeploymentResult(int code, String description, List<PlannedStep> steps, boolean dryRun, long millis) {
        this(code, description, steps, dryRun, millis, List.of());
    }

    /**
     * @param action remove, install, update, start, stop or keep
     * @param module the module
     * @param reason why
     */
    public record PlannedStep(String action, String module, String reason) {
    }
}
