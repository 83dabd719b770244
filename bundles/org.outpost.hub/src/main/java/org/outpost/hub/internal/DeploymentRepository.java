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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployments in the hub database: the SQL of the {@code deployments} table (each deployment's document as it was
 * given, with its creation time) and of the {@code applied} table (what was last set on each device: its base, layers
 * and the identities whose twins the deployments set, and the error if setting them failed).
 */
final class DeploymentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRepository.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was set on a device, the identities that got it, and why setting them failed (or null). */
    record Applied(EffectiveDesired effective, Set<String> identities, String error) {
        /** A device nothing was applied to. */
        static final Applied NOTHING = new Applied(new EffectiveDesired(Optional.empty(), List.of(), Map.of()),
                Set.of(), null);
    }

    private static final String APPLIED_COLUMNS = "device_id, base, layers, identities, error";

    private final HubDatabase db;

    DeploymentRepository(HubDatabase db) {
        this.db = db;
    }

    /** @return every deployment that parses, by id; a damaged row is logged and skipped */
    Map<String, HubDeployment> loadAll() {
        Map<String, HubDeployment> loaded = new ConcurrentHashMap<>();
        db.transaction("reading the deployments", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, created_ms, document FROM deployments");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        HubDeployment d = HubDeployment.parse(r.getString(3), Instant.ofEpochMilli(r.getLong(2)));
                        loaded.put(d.id(), d);
                    } catch (RuntimeException e) {
                        // One damaged row must not take the others down: it is left for the operator, and said so.
                        LOG.error("Deployment {} in the hub database is not a deployment and was skipped (delete it"
                                + " with hub:deployment-delete and create it again): {}", r.getString(1),
                                e.getMessage());
                    }
                }
            }
            return null;
        });
        return loaded;
    }

    /**
     * Stores a new deployment as it was given, with its creation time added as {@code createdTimeUtc}.
     *
     * @throws DeploymentException if a deployment with its id exists
     */
    void insert(HubDeployment d, String json, Instant created) {
        ObjectNode stored;
        try {
            stored = (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stored.put("createdTimeUtc", created.toString());
        try {
            db.transaction("creating deployment " + d.id(), c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO deployments (id, created_ms, document)"
                        + " VALUES (?, ?, ?)")) {
                    s.setString(1, d.id());
                    s.setLong(2, created.toEpochMilli());
                    s.setString(3, stored.toPrettyString());
                    return s.executeUpdate();
                }
            });
        } catch (StorageException e) {
            if (!e.conflict()) {
                throw e;
            }
            throw new DeploymentException("id", "a deployment '" + d.id() + "' exists; its content cannot"
                    + " change (as in IoT Hub): create one with another id and a higher priority, then delete"
                    + " this one");
        }
    }

    /**
     * Sets fields of a stored deployment; the result is checked as a whole, as at creation, and keeps its creation
     * time (ties among equal priorities).
     *
     * @param changes the fields to set (the caller checks which may change)
     * @param created the deployment's creation time if it is known, else the one stored is taken
     * @return the deployment as changed
     * @throws DeploymentException if there is no such deployment, or the changed one is not valid
     */
    HubDeployment update(String id, ObjectNode changes, Optional<Instant> created) {
        return db.transaction("changing deployment " + id, c -> {
            ObjectNode stored = document(c, id).orElseThrow(() -> new DeploymentException("id", "no deployment '"
                    + id + "' (see hub:deployments)"));
            Instant createdTime = created.orElseGet(() -> Instant.parse(stored.path("createdTimeUtc").asText()));
            stored.setAll(changes);
            HubDeployment changedTo = HubDeployment.parse(stored.toString(), createdTime);
            try (PreparedStatement s = c.prepareStatement("UPDATE deployments SET document = ? WHERE id = ?")) {
                s.setString(1, stored.toPrettyString());
                s.setString(2, id);
                s.executeUpdate();
            }
            return changedTo;
        });
    }

    /** @return false if there was no such deployment */
    boolean delete(String id) {
        int n = db.transaction("deleting deployment " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM deployments WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate();
            }
        });
        return n > 0;
    }

    /** @return the deployment's document as stored, if there is one */
    private static Optional<ObjectNode> document(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT document FROM deployments WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of((ObjectNode) JSON.readTree(r.getString(1)));
                } catch (IOException e) {
                    throw new UncheckedIOException("deployment " + id + " in the hub database is not JSON", e);
                }
            }
        }
    }

    /** @return what was applied to the device, if anything was (its effective desired twins are not kept) */
    Optional<Applied> applied(String deviceId) {
        return Optional.ofNullable(applied(List.of(deviceId)).get(deviceId));
    }

    /**
     * @return what was applied to each of those devices that anything was applied to, by id, read in one statement
     *         per {@link SqlIn#CHUNK}
     */
    Map<String, Applied> applied(Collection<String> deviceIds) {
        return db.transaction("reading what was applied to " + deviceIds.size() + " device(s)", c -> {
            Map<String, Applied> out = new HashMap<>();
            SqlIn.query(c, "SELECT " + APPLIED_COLUMNS + " FROM applied WHERE device_id IN (%s)", deviceIds,
                    r -> appliedRow(r, out));
            return out;
        });
    }

    /** @return what was applied to each device, by id */
    Map<String, Applied> allApplied() {
        return db.transaction("reading what was applied", c -> {
            Map<String, Applied> out = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + APPLIED_COLUMNS + " FROM applied");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    appliedRow(r, out);
                }
            }
            return out;
        });
    }

    /** Keeps what was applied to a device (nothing for a device deleted meanwhile). */
    void storeApplied(String deviceId, Applied a) {
        ArrayNode layers = JSON.createArrayNode();
        a.effective().layers().forEach(layers::add);
        ArrayNode ids = JSON.createArrayNode();
        a.identities().forEach(ids::add);
        db.transaction("keeping what was applied to " + deviceId, c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE applied SET base = ?, layers = ?, identities = ?,"
                    + " error = ? WHERE device_id = ?")) {
                up.setString(1, a.effective().base().orElse(null));
                up.setString(2, layers.toString());
                up.setString(3, ids.toString());
                up.setString(4, a.error());
                up.setString(5, deviceId);
                if (up.executeUpdate() == 1) {
                    return null;
                }
            }
            // The device's first; a device deleted meanwhile inserts nothing.
            try (PreparedStatement in = c.prepareStatement("INSERT INTO applied (device_id, base, layers, identities,"
                    + " error) SELECT id, ?, ?, ?, ? FROM devices WHERE id = ?")) {
                in.setString(1, a.effective().base().orElse(null));
                in.setString(2, layers.toString());
                in.setString(3, ids.toString());
                in.setString(4, a.error());
                in.setString(5, deviceId);
                in.executeUpdate();
            }
            return null;
        });
    }

    /** Reads a row of {@link #APPLIED_COLUMNS} into {@code out}; a damaged one is logged and left out. */
    private static void appliedRow(ResultSet r, Map<String, Applied> out) throws SQLException {
        List<String> layers = new ArrayList<>();
        Set<String> identities = new TreeSet<>();
        try {
            JSON.readTree(r.getString(3)).forEach(n -> layers.add(n.asText()));
            JSON.readTree(r.getString(4)).forEach(n -> identities.add(n.asText()));
        } catch (IOException e) {
            LOG.warn("What was applied to {} is damaged; it is recomputed from scratch: {}", r.getString(1),
                    e.getMessage());
            return;
        }
        out.put(r.getString(1), new Applied(new EffectiveDesired(Optional.ofNullable(r.getString(2)), layers,
                Map.of()), identities, r.getString(5)));
    }
}
