/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.protocol.TwinDocument;

/**
 * The twins the hub holds: one per registered device and one per module of a device, stored durably. A desired change
 * reaches the device when it is connected (at once) or when it next connects (it reads its twin). Module ids are
 * {@code null} for the device's own twin.
 */
@ProviderType
public interface Twins {

    /**
     * @return the twin (an empty one at version 1 if nothing was set yet)
     * @throws IllegalArgumentException if the device is not registered
     */
    TwinDocument twin(String deviceId, String moduleId);

    /**
     * Merges a patch into the desired properties.
     *
     * @return the twin after the patch
     * @throws IllegalArgumentException if the device is not registered
     * @throws org.outpost.protocol.TwinException if the patch is refused (nothing changes then)
     * @throws java.io.UncheckedIOException if it cannot be stored (nothing changes then)
     */
    TwinDocument patchDesired(String deviceId, String moduleId, String patchJson);

    /**
     * Replaces the desired properties (for {@code $edgeAgent}, a deployment).
     *
     * @return the twin after the change
     * @throws IllegalArgumentException if the device is not registered
     * @throws org.outpost.protocol.TwinException if they are refused (nothing changes then)
     */
    TwinDocument replaceDesired(String deviceId, String moduleId, String desiredJson);

    /**
     * The devices whose twin matches a condition, tested against {@code {"deviceId": ..., "tags": {...},
     * "properties": {"desired": {...}, "reported": {...}}}} (the device's own twin).
     *
     * @return their ids, sorted
     */
    java.util.List<String> query(org.outpost.hub.query.Condition condition);

    /**
     * @return what conditions see of a device: {@code {"deviceId": ..., "tags": {...}, "properties": {"desired":
     *         {...}, "reported": {...}}}}
     * @throws IllegalArgumentException if the device is not registered
     */
    com.fasterxml.jackson.databind.node.ObjectNode conditionDocument(String deviceId);

    /**
     * Merges a patch into the reported properties, as the device reports them.
     *
     * @return the twin after the patch
     * @throws IllegalArgumentException if the device is not registered
     * @throws org.outpost.protocol.TwinException if the patch is refused (nothing changes then)
     */
    TwinDocument patchReported(String deviceId, String moduleId, String patchJson);

    /**
     * @return the device's tags (metadata the operator keeps for it, which target conditions read as {@code tags.*};
     *         the device never sees them), an empty object if none
     * @throws IllegalArgumentException if the device is not registered
     */
    com.fasterxml.jackson.databind.node.ObjectNode tags(String deviceId);

    /**
     * The tags of many devices at once, in a fixed number of reads (a page of devices costs no read per device).
     *
     * @return the tags of those devices that are registered, by id (an unregistered id is left out)
     */
    java.util.Map<String, com.fasterxml.jackson.databind.node.ObjectNode> tagsOf(
            java.util.Collection<String> deviceIds);

    /**
     * One twin of many devices at once, in a fixed number of reads (a page of devices costs no read per device).
     *
     * @param moduleId the module whose twin, or null for the devices' own
     * @return the twin of each of those devices that is registered, by id (an empty one at version 1 where nothing
     *         was set yet; an unregistered id is left out)
     * @throws IllegalArgumentException if the module id is not valid
     */
    java.util.Map<String, TwinDocument> twinsOf(java.util.Collection<String> deviceIds, String moduleId);

    /**
     * Merges a patch into the device's tags ({@code null} deletes a tag), under the limits of a twin section.
     * Deployments whose target conditions read tags are re-evaluated for the device.
     *
     * @return the tags after the patch
     * @throws IllegalArgumentException if the device is not registered
     * @throws org.outpost.protocol.TwinException if the patch is refused (nothing changes then)
     */
    com.fasterxml.jackson.databind.node.ObjectNode patchTags(String deviceId, String patchJson);
}
