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
import java.util.List;
import java.util.Optional;

import org.outpost.hub.storage.HubDatabase;

/**
 * The module identities in the hub database: the SQL of the {@code module_identities} table (a row per device and
 * module: generation, keys, creation time, manager). Rows go with their device (the schema cascades). Nothing is
 * cached; every call reads or writes the database. The keys are stored sealed under the hub's master key
 * ({@link SecretBox}, each bound to its identity and column) and opened as they are read.
 */
final class ModuleRepository {

    private static final String COLUMNS = "device_id, module_id, generation_id, primary_key, secondary_key,"
            + " created_ms, managed_by";

    /**
     * A module identity.
     *
     * @param primaryKey the primary key, which signs SAS tokens (never printed: see {@link #toString})
     * @param secondaryKey the secondary key, likewise
     */
    record Row(String deviceId, String moduleId, String generationId, String primaryKey, String secondaryKey,
            Instant created, String managedBy) {
        @Override
        public String toString() {
            return "Row[" + deviceId + "/" + moduleId + ", generation " + generationId + "]";
        }
    }

    /** What a {@link #put} did. */
    enum Change {
        /** There was no identity of the module: there is one now. */
        CREATED,
        /** The module's identity had another generation or other keys: it was replaced. */
        REPLACED,
        /** The module's identity was this already. */
        UNCHANGED
    }

    private final HubDatabase db;
    private final SecretBox box;

    ModuleRepository(HubDatabase db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /** @return where a module identity's key is kept ({@code primary} or {@code secondary}) */
    static String context(String deviceId, String moduleId, String which) {
        return "module/" + deviceId + "/" + moduleId + "/" + which;
    }

    /** @return the device's module identities, by module id */
    List<Row> all(String deviceId) {
        return db.transaction("listing the module identities of " + deviceId, c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM module_identities WHERE"
                    + " device_id = ? ORDER BY module_id")) {
                s.setString(1, deviceId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(row(r));
                    }
                }
            }
            return out;
        });
    }

    /** @return the module identity, if there is one */
    Optional<Row> find(String deviceId, String moduleId) {
        return db.transaction("reading module identity " + deviceId + "/" + moduleId, c -> find(c, deviceId,
                moduleId));
    }

    /**
     * Registers a module identity, or replaces the module's identity. A new generation is created at
     * {@code row.created()}; new keys for the same generation keep its creation time.
     *
     * @throws org.outpost.hub.storage.StorageException if it cannot (with {@code conflict()} if another node
     *             registered the module at the same time: trying again replaces that), or the device is not registered
     */
    Change put(Row row) {
        return db.transaction("registering module identity " + row.deviceId() + "/" + row.moduleId(), c -> {
            Optional<Row> old = find(c, row.deviceId(), row.moduleId());
            if (old.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO module_identities (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, row.deviceId());
                    s.setString(2, row.moduleId());
                    s.setString(3, row.generationId());
                    s.setString(4, box.seal(row.primaryKey(), context(row.deviceId(), row.moduleId(), "primary")));
                    s.setString(5, box.seal(row.secondaryKey(), context(row.deviceId(), row.moduleId(),
                            "secondary")));
                    s.setLong(6, row.created().toEpochMilli());
                    s.setString(7, row.managedBy());
                    s.executeUpdate();
                }
                return Change.CREATED;
            }
            Row o = old.get();
            boolean sameGeneration = o.generationId().equals(row.generationId());
            if (sameGeneration && o.primaryKey().equals(row.primaryKey())
                    && o.secondaryKey().equals(row.secondaryKey()) && o.managedBy().equals(row.managedBy())) {
                return Change.UNCHANGED;
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE module_identities SET generation_id = ?,"
                    + " primary_key = ?, secondary_key = ?, created_ms = ?, managed_by = ? WHERE device_id = ? AND"
                    + " module_id = ?")) {
                s.setString(1, row.generationId());
                s.setString(2, box.seal(row.primaryKey(), context(row.deviceId(), row.moduleId(), "primary")));
                s.setString(3, box.seal(row.secondaryKey(), context(row.deviceId(), row.moduleId(), "secondary")));
                s.setLong(4, (sameGeneration ? o.created() : row.created()).toEpochMilli());
                s.setString(5, row.managedBy());
                s.setString(6, row.deviceId());
                s.setString(7, row.moduleId());
                s.executeUpdate();
            }
            return Change.REPLACED;
        });
    }

    /** @return false if there was no such module identity */
    boolean delete(String deviceId, String moduleId) {
        return db.transaction("deleting module identity " + deviceId + "/" + moduleId, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM module_identities WHERE device_id = ? AND"
                    + " module_id = ?")) {
                s.setString(1, deviceId);
                s.setString(2, moduleId);
                return s.executeUpdate() > 0;
            }
        });
    }

    private Optional<Row> find(Connection c, String deviceId, String moduleId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM module_identities WHERE"
                + " device_id = ? AND module_id = ?")) {
            s.setString(1, deviceId);
            s.setString(2, moduleId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    /** @throws IllegalStateException if a key does not open (the message names the identity, not the key) */
    private Row row(ResultSet r) throws SQLException {
        String device = r.getString(1);
        String module = r.getString(2);
        return new Row(device, module, r.getString(3), box.open(r.getString(4), context(device, module, "primary")),
                box.open(r.getString(5), context(device, module, "secondary")), Instant.ofEpochMilli(r.getLong(6)),
                r.getString(7));
    }
}
