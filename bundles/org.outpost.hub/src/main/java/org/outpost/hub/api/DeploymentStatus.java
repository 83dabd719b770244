/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.List;
import java.util.Map;

import org.outpost.hub.deployments.HubDeployment;

/**
 * A deployment and where it stands across the fleet, as IoT Hub's system metrics of a deployment.
 *
 * @param deployment the deployment
 * @param targeted the devices its target condition selects now
 * @param applied those whose twins the hub has set from it (for a base deployment: those it won on)
 * @param succeeded applied devices whose {@code $edgeAgent} reports the desired version with code 200 and no module
 *            failing
 * @param failed applied devices reporting a failure, each with the reason ({@code lastDesiredStatus} or the failing
 *            module's state)
 * @param pending applied devices that have not reported the desired version yet
 */
public record DeploymentStatus(HubDeployment deployment, List<String> targeted, List<String> applied,
        List<String> succeeded, Map<String, String> failed, List<String> pending) {

    public DeploymentStatus {
        targeted = List.copyOf(targeted);
        applied = List.copyOf(applied);
        succeeded = List.copyOf(succeeded);
        failed = Map.copyOf(failed);
        pending = List.copyOf(pending);
    }

    /**
     * @return the counts under IoT Hub's names: {@code targetedCount}, {@code appliedCount},
     *         {@code reportedSuccessfulCount}, {@code reportedFailedCount}, and {@code pendingCount}
     */
    public Map<String, Integer> systemMetrics() {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("targetedCount", targeted.size());
        m.put("appliedCount", applied.size());
        m.put("reportedSuccessfulCount", succeeded.size());
        m.put("reportedFailedCount", failed.size());
        m.put("pendingCount", pending.size());
        return m;
    }
}
