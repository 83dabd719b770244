/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.hub.api.Twins;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's twins, in the hub database: one {@code twins} row per twin (module id {@code ''} for the device's own)
 * and the tags in the device's row. Writes are optimistic: each names the revision it read, and one that lost a race
 * with another node reads the twin again and applies its change to the newer version, so no change is lost and
 * versions never repeat. Within a node, one twin's changes are also serialized, so they do not race at all.
 *
 * <p>
 * Listeners hear of each desired change after it is stored: this node's at once, another node's through the
 * database's events (the patch travels with the event when it fits; when it does not, the listener gets the whole
 * desired properties of the twin as it is now, which is also what it gets for a replace).
 */
@Component(service = {Twins.class, TwinStore.class}, configurationPid = "org.outpost.hub.twins")
@Designate(ocd = TwinStore.Config.class)
public final class TwinStore implements Twins {

    @ObjectClassDefinition(name = "Outpost hub twins", description = "Limits of the twins the hub keeps; a patch over one is refused whole with its path.")
    public @interface Config {
        @AttributeDefinition(description = "Largest desired or reported section, in KB (IoT Hub: 32).")
        int max_section_kb() default 32;

        @AttributeDefinition(description = "Deepest nesting of objects (IoT Hub: 10).")
        int max_depth() default 10;

        @AttributeDefinition(description = "Largest string value, in KB (IoT Hub: 4).")
        int max_value_kb() default 4;

        @AttributeDefinition(description = "Largest key, in bytes (IoT Hub: 1024).")
        int max_key_bytes() default 1024;
    }

    /** Hears of desired changes, after they are stored. */
    @FunctionalInterface
    interface DesiredListener {
        /**
         * @param patch what changed, as a merge patch (the whole desired properties after a replace), with the new
         *            {@code $version}
         */
        void desiredChanged(String deviceId, String moduleId, String patch, TwinDocument twin);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TwinStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_TWIN = "";
    /** Tries of a write that keeps losing races with other nodes, before it gives up. */
    private static final int TRIES = 20;

    private final HubDatabase db;
    private final DeviceStore devices;
    private final TwinLimits limits;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<DesiredListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> tagListeners = new CopyOnWriteArrayList<>();
    private final Runnable stopListening;

    @Activate
    public TwinStore(@Reference HubDatabase db, @Reference DeviceStore devices, Config config) {
        this(db, devices, TwinLimits.of(config.max_section_kb(), config.max_depth(), config.max_value_kb(),
                config.max_key_bytes()));
    }

    TwinStore(HubDatabase db, DeviceStore devices, TwinLimits limits) {
        this.db = db;
        this.devices = devices;
        this.limits = limits;
        Runnable stopEvents = db.subscribe("desired", this::desiredElsewhere);
        Runnable stopDeletes = devices.onDelete(this::forget);
        this.stopListening = () -> {
            stopEvents.run();
            stopDeletes.run();
        };
    }

    @Deactivate
    void deactivate() {
        stopListening.run();
    }

    void addListener(DesiredListener l) {
        listeners.add(l);
    }

    void removeListener(DesiredListener l) {
        listeners.remove(l);
    }

    /** Hears of tags changed through this node (with the device id), after they are stored. */
    Runnable onTagsChanged(Consumer<String> listener) {
        tagListeners.add(listener);
        return () -> tagListeners.remove(listener);
    }

    @Override
    public ObjectNode tags(String deviceId) {
        return db.transaction("reading the tags of " + deviceId, c -> storedTags(c, deviceId)
                .orElseThrow(() -> noDevice(deviceId)));
    }

    private static Optional<ObjectNode> storedTags(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT tags FROM devices WHERE id = ?")) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(object(r.getString(1), "the tags of " + deviceId)) : Optional.empty();
            }
        }
    }

    @Override
    public ObjectNode patchTags(String deviceId, String patchJson) {
        ObjectNode after;
        synchronized (lock(deviceId, "$tags")) {
            after = optimistically("setting the tags of " + deviceId, c -> {
                ObjectNode before = storedTags(c, deviceId).orElseThrow(() -> noDevice(deviceId));
                ObjectNode patched = TwinDocument.patchSection(before, patchJson, "tags", limits);
                try (PreparedStatement s = c.prepareStatement("UPDATE devices SET tags = ? WHERE id = ? AND"
                        + " tags = ?")) {
                    s.setString(1, patched.toString());
                    s.setString(2, deviceId);
                    s.setString(3, before.toString());
                    return s.executeUpdate() == 1 ? Optional.of(patched) : Optional.empty();
                }
            });
        }
        LOG.info("Tags of {} set to {}", deviceId, after);
        for (Consumer<String> l : tagListeners) {
            try {
                l.accept(deviceId);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on the tag change of {}: {}", deviceId, e.toString());
            }
        }
        return after.deepCopy();
    }

    @Override
    public List<String> query(org.outpost.hub.query.Condition condition) {
        List<String> out = new ArrayList<>();
        conditionDocuments().forEach((id, doc) -> {
            try {
                if (condition.test(doc)) {
                    out.add(id);
                }
            } catch (RuntimeException e) {
                LOG.warn("Twin query: skipping {}: {}", id, e.toString());
            }
        });
        return out;
    }

    @Override
    public ObjectNode conditionDocument(String deviceId) {
        return db.transaction("reading the twin of " + deviceId, c -> {
            ObjectNode tags = storedTags(c, deviceId).orElseThrow(() -> noDevice(deviceId));
            return conditionDocument(deviceId, tags, read(c, deviceId, DEVICE_TWIN).twin());
        });
    }

    /** @return what conditions see of every device, by id (sorted), read in one go */
    Map<String, ObjectNode> conditionDocuments() {
        return db.transaction("reading the devices' twins", c -> {
            Map<String, TwinDocument> own = new java.util.HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, document FROM twins WHERE module_id"
                    + " = ''"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    own.put(r.getString(1), TwinDocument.parse(r.getString(2)));
                }
            }
            Map<String, ObjectNode> out = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, tags FROM devices");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    out.put(id, conditionDocument(id, object(r.getString(2), "the tags of " + id), own
                            .getOrDefault(id, TwinDocument.empty())));
                }
            }
            return out;
        });
    }

    /** @return one module's twin of every device that has one, by device id, read in one go */
    Map<String, TwinDocument> twins(String moduleId) {
        return db.transaction("reading the " + moduleId + " twins", c -> {
            Map<String, TwinDocument> out = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, document FROM twins WHERE module_id"
                    + " = ?")) {
                s.setString(1, moduleId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), TwinDocument.parse(r.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    private static ObjectNode conditionDocument(String deviceId, ObjectNode tags, TwinDocument t) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("deviceId", deviceId);
        doc.set("tags", tags);
        ObjectNode properties = doc.putObject("properties");
        properties.set("desired", object(t.desired(), "the desired properties of " + deviceId));
        properties.set("reported", object(t.reported(), "the reported properties of " + deviceId));
        return doc;
    }

    @Override
    public TwinDocument twin(String deviceId, String moduleId) {
        String module = module(moduleId);
        return db.transaction("reading the twin of " + deviceId + (moduleId == null ? "" : "/" + moduleId), c -> {
            Stored s = read(c, deviceId, module);
            if (s.revision() == 0 && storedTags(c, deviceId).isEmpty()) {
                throw noDevice(deviceId);
            }
            return s.twin();
        });
    }

    @Override
    public TwinDocument patchDesired(String deviceId, String moduleId, String patchJson) {
        TwinDocument after = change(deviceId, moduleId, t -> t.patchDesired(patchJson, limits));
        LOG.info("Desired properties of {}{} patched to version {}", deviceId, moduleId == null ? "" : "/" + moduleId,
                after.desiredVersion());
        String patch = TwinDocument.combine(patchJson, "{\"$version\": " + after.desiredVersion() + "}");
        announce(deviceId, moduleId, patch);
        listeners.forEach(l -> notify(l, deviceId, moduleId, patch, after));
        return after;
    }

    @Override
    public TwinDocument replaceDesired(String deviceId, String moduleId, String desiredJson) {
        TwinDocument after = change(deviceId, moduleId, t -> t.replaceDesired(desiredJson, limits));
        LOG.info("Desired properties of {}{} replaced at version {}", deviceId, moduleId == null ? "" : "/" + moduleId,
                after.desiredVersion());
        announce(deviceId, moduleId, null);
        listeners.forEach(l -> notify(l, deviceId, moduleId, after.desired(), after));
        return after;
    }

    @Override
    public TwinDocument patchReported(String deviceId, String moduleId, String patchJson) {
        return change(deviceId, moduleId, t -> t.patchReported(patchJson, limits));
    }

    /** Tells the other nodes (one of them may hold the device's connection). */
    private void announce(String deviceId, String moduleId, String patch) {
        ObjectNode event = JSON.createObjectNode().put("device", deviceId).put("module", moduleId);
        if (patch != null && patch.length() < HubDatabase.MAX_EVENT_BYTES / 3) {
            event.put("patch", patch);
        }
        try {
            db.publish("desired", event.toString());
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
            now = twin(deviceId, moduleId);
        } catch (IllegalArgumentException gone) {
            return;
        }
        String patch = e.hasNonNull("patch") ? e.get("patch").asText() : now.desired();
        listeners.forEach(l -> notify(l, deviceId, moduleId, patch, now));
    }

    private record Stored(TwinDocument twin, long revision) {
    }

    private TwinDocument change(String deviceId, String moduleId, UnaryOperator<TwinDocument> how) {
        String module = module(moduleId);
        String what = "storing the twin of " + deviceId + (moduleId == null ? "" : "/" + moduleId);
        synchronized (lock(deviceId, module)) {
            return optimistically(what, c -> {
                Stored before = read(c, deviceId, module);
                if (before.revision() == 0 && storedTags(c, deviceId).isEmpty()) {
                    throw noDevice(deviceId);
                }
                TwinDocument after = how.apply(before.twin());
                // Same revision: a first write inserts, and loses (duplicate key) to another node's first write.
                String sql = before.revision() == 0
                        ? "INSERT INTO twins (document, revision, device_id, module_id) VALUES (?, ?, ?, ?)"
                        : "UPDATE twins SET document = ?, revision = ? WHERE device_id = ? AND module_id = ? AND"
                                + " revision = ?";
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, after.toJson());
                    s.setLong(2, before.revision() + 1);
                    s.setString(3, deviceId);
                    s.setString(4, module);
                    if (before.revision() > 0) {
                        s.setLong(5, before.revision());
                    }
                    return s.executeUpdate() == 1 ? Optional.of(after) : Optional.empty();
                }
            });
        }
    }

    /**
     * Runs a read-modify-write until no other node wrote in between (its work returns empty when its write found the
     * row changed).
     */
    private <T> T optimistically(String what, HubDatabase.Work<Optional<T>> work) {
        for (int attempt = 1;; attempt++) {
            Optional<T> done;
            try {
                done = db.transaction(what, work);
            } catch (org.outpost.hub.storage.StorageException e) {
                if (!e.conflict() || attempt >= TRIES) {
                    throw e;
                }
                done = Optional.empty();
            }
            if (done.isPresent()) {
                return done.get();
            }
            if (attempt >= TRIES) {
                throw new IllegalStateException(what + ": still changed by other hub nodes after " + TRIES
                        + " tries; try again");
            }
            LOG.debug("{}: changed by another node meanwhile, reading it again (try {})", what, attempt + 1);
        }
    }

    private static Stored read(Connection c, String deviceId, String module) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT document, revision FROM twins WHERE device_id = ? AND"
                + " module_id = ?")) {
            s.setString(1, deviceId);
            s.setString(2, module);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Stored(TwinDocument.parse(r.getString(1)), r.getLong(2))
                        : new Stored(TwinDocument.empty(), 0);
            }
        }
    }

    private Object lock(String deviceId, String module) {
        // Locks of deleted devices are few and small; they go when the device does (below).
        return locks.computeIfAbsent(deviceId + "/" + module, k -> new Object());
    }

    /** Forgets the locks of a deleted device (its rows went with it). */
    void forget(String deviceId) {
        locks.keySet().removeIf(k -> k.startsWith(deviceId + "/"));
    }

    private static void notify(DesiredListener l, String deviceId, String moduleId, String patch, TwinDocument twin) {
        try {
            l.desiredChanged(deviceId, moduleId, patch, twin);
        } catch (RuntimeException e) {
            LOG.warn("A listener failed on the desired change of {}/{}: {}", deviceId, moduleId, e.toString());
        }
    }

    private static String module(String moduleId) {
        if (moduleId == null) {
            return DEVICE_TWIN;
        }
        if (!moduleId.matches("\\$?[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("module id '" + moduleId + "' is not valid: use 1 to 64 letters,"
                    + " digits, '-' or '_' (or $edgeAgent, $edgeHub)");
        }
        return moduleId;
    }

    private static IllegalArgumentException noDevice(String deviceId) {
        return new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
    }

    private static ObjectNode object(String json, String what) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n instanceof ObjectNode o) {
                return o;
            }
            throw new UncheckedIOException("the hub database holds " + what + " as " + n, new IOException(
                    "not a JSON object"));
        } catch (IOException e) {
            throw new UncheckedIOException("the hub database holds " + what + " that is not JSON", e);
        }
    }
}
