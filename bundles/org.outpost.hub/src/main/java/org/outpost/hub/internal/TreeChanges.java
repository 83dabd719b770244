/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a change of the registry means for the parent/child tree, told to every hub node ({@link DeviceEvents}): the
 * gateways above a changed device hear that their device scopes changed, with a new version of the database's
 * counter; the devices below a gateway whose credentials changed (disabled, deleted, re-keyed) authenticate again,
 * since the gateway may have connected them on its behalf.
 */
final class TreeChanges {

    private static final Logger LOG = LoggerFactory.getLogger(TreeChanges.class);

    private final DeviceTree tree;
    private final DeviceEvents events;

    TreeChanges(DeviceTree tree, DeviceEvents events) {
        this.tree = tree;
        this.events = events;
    }

    /** The device changed: the gateways above it hear of it. A device without a parent is in no scope. */
    void scopeChanged(String deviceId) {
        scopeChanged(tree.ancestors(deviceId));
    }

    /** The scopes of these gateways changed (nothing is told if there are none). */
    void scopeChanged(Collection<String> gateways) {
        if (!gateways.isEmpty()) {
            events.scopeChanged(new DeviceEvents.ScopeChange(tree.bump(), new LinkedHashSet<>(gateways)));
        }
    }

    /** A device moved: its ancestors before and after hear of it. */
    void moved(DeviceTree.Move move) {
        LinkedHashSet<String> gateways = new LinkedHashSet<>(move.oldAncestors());
        gateways.addAll(move.newAncestors());
        if (!gateways.isEmpty()) {
            events.scopeChanged(new DeviceEvents.ScopeChange(move.version(), gateways));
        }
    }

    /** The credentials of a device changed, or it was disabled: below it, connections authenticate again. */
    void credentialsChanged(String gateway, String why) {
        reauthenticate(tree.descendants(gateway), gateway, why);
        scopeChanged(gateway);
    }

    /**
     * The devices below a gateway whose credentials changed may be connected on its behalf with what is no longer
     * valid: their connections (on every node) authenticate again.
     *
     * @param below the devices below it (read before a deletion)
     */
    void reauthenticate(List<String> below, String gateway, String why) {
        if (!below.isEmpty()) {
            LOG.info("Gateway {} {}: the connections of the {} device(s) below it authenticate again", gateway, why,
                    below.size());
            below.forEach(events::reauthenticate);
        }
    }
}
