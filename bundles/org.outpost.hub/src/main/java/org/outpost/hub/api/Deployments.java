/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.hub.deployments.EffectiveDesired;

/**
 * Deployments at scale, as IoT Hub's automatic deployments: each has a target condition over the devices' ids and
 * tags, and the hub sets on every targeted device the twins that its deployments add up to (see
 * {@link EffectiveDesired}). When a deployment is created or deleted, or a device's tags change, or a device is
 * registered, the devices concerned are recomputed and their twins set in the background; {@link DeploymentStatus}
 * tells how far that got and what the devices report.
 */
@ProviderType
public interface Deployments {

    /** @return every deployment with its status, highest priority first */
    List<DeploymentStatus> deployments();

    /** @return the deployment with its status, if there is one */
    Optional<DeploymentStatus> deployment(String id);

    /**
     * Stores a deployment and starts setting it on the devices it targets. A deployment's content cannot change (as
     * in IoT Hub): to change what devices run, create another one with a higher priority, then delete the old one.
     *
     * @param json the deployment object
     * @return its status just after it was stored (nothing applied yet)
     * @throws org.outpost.hub.deployments.DeploymentException if the object is refused (with the JSON path of the
     *             problem) or a deployment with its id exists; nothing changes then
     * @throws java.io.UncheckedIOException if it cannot be stored (nothing changes then)
     */
    DeploymentStatus create(String json);

    /**
     * Changes what a deployment targets, as IoT Hub allows: its {@code priority}, {@code targetCondition} and
     * {@code labels} (replaced whole), given as a JSON object of those fields. Its content cannot change. The devices
     * are recomputed: widening a condition rolls the deployment out further (a canary, then a site, then everyone).
     *
     * @return its status just after the change
     * @throws org.outpost.hub.deployments.DeploymentException if there is no such deployment, a field is not one of
     *             those, or a value is refused (with its path); nothing changes then
     */
    DeploymentStatus update(String id, String changesJson);

    /**
     * Deletes a deployment. The devices it targeted are recomputed: they get what their other deployments add up to,
     * and a device that no base deployment targets any more keeps the twins it has (as IoT Hub does), so that
     * nothing stops because a deployment was deleted.
     *
     * @return true if it existed
     */
    boolean delete(String id);

    /**
     * @return what the deployments last set on a device (empty when none targets it yet or the hub has not got to it)
     * @throws IllegalArgumentException if the device is not registered
     */
    EffectiveDesired applied(String deviceId);

    /**
     * What the deployments last set on many devices at once, in a fixed number of reads (a page of devices costs no
     * read per device).
     *
     * @return by device id: what was set on each of them that anything was set on (the others are left out)
     */
    java.util.Map<String, EffectiveDesired> appliedTo(java.util.Collection<String> deviceIds);
}
