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
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.outpost.protocol.TwinDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The twins in the hub database: one {@code twins} row per twin (module id {@code ''} for the device's own) and the
 * tags in the device's row. Writes are optimistic: each names the revision (or the tags) it read, and one that lost a
 * race with another node reads the twin again and applies its change to the newer version, so no change is lost and
 * versions never repeat.
 */
final class TwinRepository {

    private static final Logger LOG = LoggerFactory.getLogger(TwinRepository.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_TWIN = "";
    /** Tries of a write that keeps losing races with other nodes, before it gives up. */
    static final int TRIES = 20;

    private record Stored(TwinDocument twin, long revision) {
    }

    private final HubDatabase db;

    TwinRepository(HubDatabase db) {
        this.db = db;
    }

    /**
     * @param moduleId a module's id, or null for the device's own twin
     * @return the key of the twin's row among the device's twins
     * @throws IllegalArgumentException if it is not a module id
     */
    static String module(String moduleId) {
        if (moduleId == null) {
            return DEVICE_TWIN;
        }
        if (!moduleId.matches("\\$?[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("module id '" + moduleId + "' is not valid: use 1 to 64 letters,"
                    + " digits, '-' or '_' (or $edgeAgent, $edgeHub)");
        }
        return moduleId;
    }

    /** @throws IllegalArgumentException if there is no such device */
    ObjectNode tags(String deviceId) {
        return db.transaction("reading the tags of " + deviceId, c -> storedTags(c, deviceId)
                .orElseThrow(() -> noDevice(deviceId)));
    }

    /**
     * Changes a device's tags.
     *
     * @param how the tags after, from the tags before
     * @return the tags after
     * @throws IllegalArgumentException if there is no such device
     */
    ObjectNode changeTags(String deviceId, UnaryOperator<ObjectNode> how) {
        return optimistically("setting the tags of " + deviceId, c -> {
            ObjectNode before = storedTags(c, deviceId).orElseThrow(() -> noDevice(deviceId));
            ObjectNode patched = how.apply(before.deepCopy());
            try (PreparedStatement s = c.prepareStatement("UPDATE devices SET tags = ? WHERE id = ? AND tags = ?")) {
                s.setString(1, patched.toString());
                s.setString(2, deviceId);
                s.setString(3, before.toString());
                return s.executeUpdate() == 1 ? Optional.of(patched) : Optional.empty();
            }
        });
    }

    /** @return the tags of those devices that are registered, by id, read in one statement per {@link SqlIn#CHUNK} */
    Map<String, ObjectNode> tags(Collection<String> deviceIds) {
        return db.transaction("reading the tags of " + deviceIds.size() + " device(s)", c -> {
            Map<String, ObjectNode> out = new HashMap<>();
            SqlIn.query(c, "SELECT id, tags FROM devices WHERE id IN (%s)", deviceIds, r -> out.put(r.getString(1),
                    object(r.getString(2), "the tags of " + r.getString(1))));
            return out;
        });
    }

    /**
     * @return one module's twin (the device's own for null) of each of those devices that is registered, by device
     *         id (an empty twin where none was stored yet), read in one statement per {@link SqlIn#CHUNK} with their
     *         registration
     * @throws IllegalArgumentException if the module id is not valid
     */
    Map<String, TwinDocument> twins(Collection<String> deviceIds, String moduleId) {
        String module = module(moduleId);
        return db.transaction("reading " + deviceIds.size() + " twin(s)", c -> {
            Map<String, TwinDocument> out = new HashMap<>();
            SqlIn.query(c, "SELECT d.id, t.document FROM devices d LEFT JOIN twins t ON t.device_id = d.id AND"
                    + " t.module_id = ? WHERE d.id IN (%s)", deviceIds, r -> out.put(r.getString(1),
                            r.getString(2) == null ? TwinDocument.empty() : TwinDocument.parse(r.getString(2))),
                    module);
            return out;
        });
    }

    /**
     * @return the twin (an empty one at version 1 if nothing was stored yet)
     * @throws IllegalArgumentException if there is no such device, or the module id is not valid
     */
    TwinDocument twin(String deviceId, String moduleId) {
        String module = module(moduleId);
        return db.transaction("reading the twin of " + deviceId + (moduleId == null ? "" : "/" + moduleId), c -> {
            Stored s = read(c, deviceId, module);
            if (s.revision() == 0 && storedTags(c, deviceId).isEmpty()) {
                throw noDevice(deviceId);
            }
            return s.twin();
        });
    }

    /**
     * Changes a twin.
     *
     * @param how the twin after, from the twin before
     * @return the twin after
     * @throws IllegalArgumentException if there is no such device, or the module id is not valid
     */
    TwinDocument change(String deviceId, String moduleId, UnaryOperator<TwinDocument> how) {
        String module = module(moduleId);
        return optimistically("storing the twin of " + deviceId + (moduleId == null ? "" : "/" + moduleId), c -> {
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

    /**
     * @return what conditions see of the device: its id, tags and its own twin's properties
     * @throws IllegalArgumentException if there is no such device
     */
    ObjectNode conditionDocument(String deviceId) {
        return db.transaction("reading the twin of " + deviceId, c -> {
            ObjectNode tags = storedTags(c, deviceId).orElseThrow(() -> noDevice(deviceId));
            return conditionDocument(deviceId, tags, read(c, deviceId, DEVICE_TWIN).twin());
        });
    }

    /** @return what conditions see of every device, by id (sorted), read in one go */
    Map<String, ObjectNode> conditionDocuments() {
        return db.transaction("reading the devices' twins", c -> {
            Map<String, TwinDocument> own = new HashMap<>();
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

    /**
     * Runs a read-modify-write until no other node wrote in between (its work returns empty when its write found the
     * row changed).
     */
    private <T> T optimistically(String what, HubDatabase.Work<Optional<T>> work) {
        for (int attempt = 1;; attempt++) {
            Optional<T> done;
            try {
                done = db.transaction(what, work);
            } catch (StorageException e) {
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

    private static Optional<ObjectNode> storedTags(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT tags FROM devices WHERE id = ?")) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(object(r.getString(1), "the tags of " + deviceId)) : Optional.empty();
            }
        }
    }

    static IllegalArgumentException noDevice(String deviceId) {
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
