/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.commons.Listeners;
import org.outpost.commons.Listeners.Subscription;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.protocol.TwinDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells who listens of twin changes after they are stored: desired changes through this node at once, and to the other
 * hub nodes through the database's {@value #TOPIC} events (one of them may hold the device's connection); desired
 * changes through another node as its events arrive (the patch travels with the event when it fits; when it does not,
 * the listener gets the whole desired properties of the twin as it is now, which is also what it gets for a replace);
 * and tag changes through this node.
 */
final class TwinNotifier implements AutoCloseable {

    static final String TOPIC = "desired";
    private static final Logger LOG = LoggerFactory.getLogger(TwinNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubDatabase db;
    private final BiFunction<String, String, TwinDocument> twins;
    private final Listeners<TwinStore.DesiredListener> desired = new Listeners<>("desired changes");
    private final Listeners<Consumer<String>> tags = new Listeners<>("tag changes");
    private final Runnable stopEvents;

    /**
     * Listens to the other nodes' desired changes until closed.
     *
     * @param twins reads a twin as it is now (by device and module id; it throws IllegalArgumentException for a device
     *            that is gone)
     */
    TwinNotifier(HubDatabase db, BiFunction<String, String, TwinDocument> twins) {
        this.db = db;
        this.twins = twins;
        this.stopEvents = db.subscribe(TOPIC, this::desiredElsewhere);
    }

    @Override
    public void close() {
        stopEvents.run();
    }

    /** Hears of desired changes (through any node), after they are stored. */
    Subscription onDesired(TwinStore.DesiredListener listener) {
        return desired.subscribe(listener);
    }

    /** Hears of tags changed through this node (with the device id), after they are stored. */
    Subscription onTags(Consumer<String> listener) {
        return tags.subscribe(listener);
    }

    /** Tells the other nodes and this node's listeners of a desired patch stored. */
    void desiredPatched(String deviceId, String moduleId, String patchJson, TwinDocument after) {
        String patch = TwinDocument.combine(patchJson, "{\"$version\": " + after.desiredVersion() + "}");
        announce(deviceId, moduleId, patch);
        tell(deviceId, moduleId, patch, after);
    }

    /** Tells the other nodes and this node's listeners of desired properties replaced. */
    void desiredReplaced(String deviceId, String moduleId, TwinDocument after) {
        announce(deviceId, moduleId, null);
        tell(deviceId, moduleId, after.desired(), after);
    }

    /** Tells this node's listeners of a device's tags changed. */
    void tagsChanged(String deviceId) {
        tags.fire(l -> l.accept(deviceId));
    }

    private void announce(String deviceId, String moduleId, String patch) {
        ObjectNode event = JSON.createObjectNode().put("device", deviceId).put("module", moduleId);
        if (patch != null && patch.length() < HubDatabase.MAX_EVENT_BYTES / 3) {
            event.put("patch", patch);
        }
        try {
            db.publish(TOPIC, event.toString());
        } catch (RuntimeException e) {
            // Stored: a device connected elsewhere gets it when it reads its twin (at the latest when it reconnects).
            LOG.warn("Could not tell the other hub nodes of the desired change of {}/{}: {}", deviceId, moduleId,
                    e.getMessage());
        }
    }

    private void desiredElsewhere(String event) {
        JsonNode e;
        try {
            e = JSON.readTree(event);
        } catch (IOException ex) {
            LOG.warn("Ignoring a desired event that is not JSON: {}", event);
            return;
        }
        String deviceId = e.path("device").asText();
        String moduleId = e.path("module").textValue();
        TwinDocument now;
        try {
            now = twins.apply(deviceId, moduleId);
        } catch (IllegalArgumentException gone) {
            return;
        }
        String patch = e.hasNonNull("patch") ? e.get("patch").asText() : now.desired();
        tell(deviceId, moduleId, patch, now);
    }

    private void tell(String deviceId, String moduleId, String patch, TwinDocument twin) {
        desired.fire(l -> l.desiredChanged(deviceId, moduleId, patch, twin));
    }
}
