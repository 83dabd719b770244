/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.osgi.annotation.versioning.ProviderType;

/** The fleet's health, from the registry and what every gateway's {@code $edgeAgent} reports. */
@ProviderType
public interface Fleet {

    /** A failing module of a device (in JSON, flat: {@code deviceId} beside the module's fields). */
    record FailingModule(String deviceId, @JsonUnwrapped ReportedModule module) {
    }

    /**
     * A deployment that failed on a device, as {@link DeploymentStatus#failed()} counts it.
     *
     * @param deviceId the device
     * @param deploymentId the deployment
     * @param reason its reason: the code and description the gateway reported, or the failing module
     */
    record FailedDeployment(String deviceId, String deploymentId, String reason) {
    }

    /**
     * The two failure counts answer different questions, so they can differ: a gateway that refuses or rolls back a
     * deployment keeps running its last good one, with no module failing, and still counts as failed for that
     * deployment.
     *
     * @param devices registered devices
     * @param connected devices with at least one connection now
     * @param disabled disabled devices
     * @param deployments deployments
     * @param failingModules every module a gateway reports failing now (failed, backing off, unhealthy or dead), by
     *            device id
     * @param failedDeployments every device on which a deployment failed (refused, rolled back, not applicable by
     *            the hub, or with a failing module), by device id then deployment id
     */
    record Health(int devices, int connected, int disabled, int deployments, List<FailingModule> failingModules,
            List<FailedDeployment> failedDeployments) {
        public Health {
            failingModules = List.copyOf(failingModules);
            failedDeployments = List.copyOf(failedDeployments);
        }
    }

    /** @return the fleet's health now (one pass over the devices) */
    Health health();

    /**
     * @return the device's modules as its {@code $edgeAgent} last reported them (empty before its first report)
     * @throws IllegalArgumentException if the device is not registered
     */
    List<ReportedModule> modules(String deviceId);
}
