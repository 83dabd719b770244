/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device identities in the hub database: the SQL of the {@code devices} table (a row per device: creation time,
 * salted key hash, keys, thumbprint, disabled, activity) and of the {@code connections} table (open connections per
 * hub node). Nothing is cached; every call reads or writes the database. The keys are stored sealed under the hub's
 * master key ({@link SecretBox}, each bound to its device and column); a row carries them sealed, and they are opened
 * only when needed ({@link #key}, {@link #secondaryKey}), so that listing the fleet decrypts nothing.
 */
final class DeviceRepository {

    static final String COLUMNS = "id, created_ms, salt, key_hash, primary_key, thumbprint, secondary_key,"
            + " disabled, last_seen_ms, messages, parent_id";
    private static final String INSERT = "INSERT INTO devices (id, created_ms, salt, key_hash, primary_key,"
            + " secondary_key, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRepository.class);
    /** Ids looked up at once when an import checks for devices already registered. */
    private static final int CHUNK = 500;

    /**
     * A registry row.
     *
     * @param sealedKey the primary key as stored (sealed: {@link DeviceRepository#key} opens it), or null for an
     *            entry written before keys were kept (it has only the hash)
     * @param thumbprint the SHA-1 or SHA-256 thumbprint (upper-case hex) of the device's X.509 certificate, or null
     * @param sealedSecondary the secondary key as stored (sealed: {@link DeviceRepository#secondaryKey}), or null
     * @param lastSeen the last activity stored (by any node), or null
     * @param messages the messages stored (by all nodes)
     * @param parentId its parent gateway, or null
     */
    record Row(String id, Instant created, byte[] salt, byte[] hash, String sealedKey, String thumbprint,
            String sealedSecondary, boolean disabled, Instant lastSeen, long messages, String parentId) {
    }

    /** A row with the connections the other hub nodes hold for the device (as of their last flush). */
    record Registered(Row row, int connectionsElsewhere) {
    }

    /** Activity a node adds to a device: its messages since the last flush and its last activity (epoch ms). */
    record ActivityDelta(String id, long messages, long lastSeen) {
    }

    private final HubDatabase db;
    private final SecretBox box;

    DeviceRepository(HubDatabase db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /** @return where a device's primary key is kept, which its sealed value is bound to */
    static String primaryContext(String id) {
        return "device/" + id + "/primary";
    }

    /** @return where a device's secondary key is kept */
    static String secondaryContext(String id) {
        return "device/" + id + "/secondary";
    }

    /** @return the row's primary key, opened; empty if it has none, or it does not open (logged) */
    Optional<String> key(Row row) {
        return open(row.sealedKey(), primaryContext(row.id()));
    }

    /** @return the row's secondary key, opened; empty if it has none, or it does not open (logged) */
    Optional<String> secondaryKey(Row row) {
        return open(row.sealedSecondary(), secondaryContext(row.id()));
    }

    private Optional<String> open(String sealed, String context) {
        try {
            return Optional.ofNullable(box.open(sealed, context));
        } catch (IllegalStateException e) {
            LOG.warn("{}; the key is not used until it is rotated", e.getMessage());
            return Optional.empty();
        }
    }

    /** @return every device, by id */
    List<Registered> all() {
        return db.transaction("listing the devices", c -> {
            Map<String, Integer> elsewhere = connectionsElsewhere(c, null);
            List<Registered> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM devices ORDER BY id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Row row = row(r);
                    out.add(new Registered(row, elsewhere.getOrDefault(row.id(), 0)));
                }
            }
            return out;
        });
    }

    /** @return the device with the connections the other nodes hold, if it is registered */
    Optional<Registered> registered(String id) {
        return db.transaction("reading device " + id, c -> {
            Optional<Row> row = find(c, id);
            return row.isEmpty() ? Optional.<Registered>empty()
                    : Optional.of(new Registered(row.get(), connectionsElsewhere(c, id).getOrDefault(id, 0)));
        });
    }

    /** @return the device's row, if it is registered */
    Optional<Row> find(String id) {
        return db.transaction("reading device " + id, c -> find(c, id));
    }

    /**
     * Registers a device.
     *
     * @throws org.outpost.hub.storage.StorageException if it cannot, with {@code conflict()} if the id is taken
     */
    void insert(String id, Instant created, DeviceKeys.Hashed primary, String secondary) {
        insert(id, created, primary, secondary, null);
    }

    /**
     * Registers a device below a parent (checked in the same transaction: {@link DeviceTree#checkNewParent}).
     *
     * @throws IllegalArgumentException if the parent is unknown or too deep
     */
    void insert(String id, Instant created, DeviceKeys.Hashed primary, String secondary, String parentId) {
        db.transaction("registering device " + id, c -> {
            if (parentId != null) {
                DeviceTree.checkNewParent(c, id, parentId);
            }
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                set(s, id, created, primary, secondary, parentId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Registers devices in one transaction: all of them or, if one is refused, none.
     *
     * @param primaries the devices' primary keys, in the order they were given
     * @param secondaries the secondary keys of those that have one
     * @param parents the parents of those that have one (registered, or earlier in the order)
     * @throws IllegalArgumentException if one is registered already, with its place in the order, or its parent is
     *             unknown or too deep
     */
    void insertAll(Map<String, DeviceKeys.Hashed> primaries, Map<String, String> secondaries, Instant created) {
        insertAll(primaries, secondaries, Map.of(), created);
    }

    /** As {@link #insertAll(Map, Map, Instant)}, with parents. */
    void insertAll(Map<String, DeviceKeys.Hashed> primaries, Map<String, String> secondaries,
            Map<String, String> parents, Instant created) {
        db.transaction("importing " + primaries.size() + " device(s)", c -> {
            List<String> ids = new ArrayList<>(primaries.keySet());
            for (int from = 0; from < ids.size(); from += CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM devices WHERE id IN ("
                        + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        s.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            String taken = r.getString(1);
                            throw new IllegalArgumentException("device " + (ids.indexOf(taken) + 1) + " ('" + taken
                                    + "'): already registered");
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                for (Map.Entry<String, DeviceKeys.Hashed> k : primaries.entrySet()) {
                    String parent = parents.get(k.getKey());
                    if (parent != null) {
                        // Its parent may be earlier in this import: what came before it is written already.
                        s.executeBatch();
                        DeviceTree.checkNewParent(c, k.getKey(), parent);
                    }
                    set(s, k.getKey(), created, k.getValue(), secondaries.get(k.getKey()), parent);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    private void set(PreparedStatement s, String id, Instant created, DeviceKeys.Hashed primary,
            String secondary, String parentId) throws SQLException {
        s.setString(1, id);
        s.setLong(2, created.toEpochMilli());
        s.setString(3, Base64.getEncoder().encodeToString(primary.salt()));
        s.setString(4, Base64.getEncoder().encodeToString(primary.hash()));
        s.setString(5, box.seal(primary.key(), primaryContext(id)));
        s.setString(6, box.seal(secondary, secondaryContext(id)));
        s.setString(7, parentId);
    }

    /** @return false if there is no such device */
    boolean setPrimaryKey(String id, DeviceKeys.Hashed key) {
        return update("rotating the primary key of " + id, "UPDATE devices SET salt = ?, key_hash = ?, primary_key = ?"
                + " WHERE id = ?", Base64.getEncoder().encodeToString(key.salt()), Base64.getEncoder()
                        .encodeToString(key.hash()), box.seal(key.key(), primaryContext(id)), id);
    }

    /** @return false if there is no such device */
    boolean setSecondaryKey(String id, String key) {
        return update("rotating the secondary key of " + id, "UPDATE devices SET secondary_key = ? WHERE id = ?",
                box.seal(key, secondaryContext(id)), id);
    }

    /** @return false if there is no such device */
    boolean setThumbprint(String id, String thumbprint) {
        return update("setting the thumbprint of " + id, "UPDATE devices SET thumbprint = ? WHERE id = ?", thumbprint,
                id);
    }

    /** @return false if there is no such device */
    boolean setSecondaryThumbprint(String id, String thumbprint) {
        return update("setting the secondary thumbprint of " + id, "UPDATE devices SET secondary_thumbprint = ? WHERE"
                + " id = ?", thumbprint, id);
    }

    /** @return the device's secondary thumbprint; empty if it has none, or there is no such device */
    Optional<String> secondaryThumbprint(String id) {
        return db.transaction("reading the secondary thumbprint of " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT secondary_thumbprint FROM devices WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** @return true if the flag changed; false if it was so already, or there is no such device */
    boolean setDisabled(String id, boolean disabled) {
        return update((disabled ? "disabling " : "enabling ") + id, "UPDATE devices SET disabled = ? WHERE id = ? AND"
                + " disabled = ?", disabled, id, !disabled);
    }

    /**
     * Deletes a device; its twins, tags, deployments applied and connections go with it (the schema cascades).
     *
     * @return false if there was no such device
     */
    boolean delete(String id) {
        return update("deleting device " + id, "DELETE FROM devices WHERE id = ?", id);
    }

    private boolean update(String what, String sql, Object... values) {
        int n = db.transaction(what, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                return s.executeUpdate();
            }
        });
        return n > 0;
    }

    /** Adds messages to the devices' counts and moves their last activity forward (never back). */
    void addActivity(List<ActivityDelta> deltas) {
        db.transaction("storing the activity of " + deltas.size() + " device(s)", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE devices SET messages = messages + ?,"
                    + " last_seen_ms = CASE WHEN last_seen_ms IS NULL OR last_seen_ms < ? THEN ? ELSE last_seen_ms"
                    + " END WHERE id = ?")) {
                for (ActivityDelta d : deltas) {
                    s.setLong(1, d.messages());
                    s.setLong(2, d.lastSeen());
                    s.setLong(3, d.lastSeen());
                    s.setString(4, d.id());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /**
     * Replaces this node's connection counts of some devices (a count of 0 or less removes the device's row; a device
     * deleted meanwhile gets none).
     */
    void storeConnections(List<String> ids, ToIntFunction<String> openCount) {
        db.transaction("storing the connections of " + ids.size() + " device(s)", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM connections WHERE node_id = ? AND"
                    + " device_id = ?");
                    PreparedStatement in = c.prepareStatement("INSERT INTO connections (node_id, device_id,"
                            + " open_count) SELECT ?, ?, ? FROM devices WHERE id = ?")) {
                for (String id : ids) {
                    del.setString(1, db.nodeId());
                    del.setString(2, id);
                    del.addBatch();
                    int n = openCount.applyAsInt(id);
                    if (n > 0) {
                        in.setString(1, db.nodeId());
                        in.setString(2, id);
                        in.setInt(3, n);
                        in.setString(4, id);
                        in.addBatch();
                    }
                }
                del.executeBatch();
                in.executeBatch();
            }
            return null;
        });
    }

    /** @return open connections per device held by the other nodes (of one device, or of all if id is null) */
    private Map<String, Integer> connectionsElsewhere(Connection c, String id) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT device_id, SUM(open_count) FROM connections WHERE"
                + " node_id <> ?" + (id == null ? "" : " AND device_id = ?") + " GROUP BY device_id")) {
            s.setString(1, db.nodeId());
            if (id != null) {
                s.setString(2, id);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    private static Optional<Row> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM devices WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    static Row row(ResultSet r) throws SQLException {
        long seen = r.getLong(9);
        boolean neverSeen = r.wasNull();
        return new Row(r.getString(1), Instant.ofEpochMilli(r.getLong(2)), Base64.getDecoder().decode(r.getString(3)),
                Base64.getDecoder().decode(r.getString(4)), r.getString(5), r.getString(6), r.getString(7),
                r.getBoolean(8), neverSeen ? null : Instant.ofEpochMilli(seen), r.getLong(10), r.getString(11));
    }
}
