/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.storage.HubDatabase;

/**
 * The parent/child tree of the devices in the hub database: the SQL of the {@code devices.parent_id} column and of
 * the {@code scope_version} counter (V6). Every change of the tree takes the counter's row first, so that changes of
 * the tree through several hub nodes happen one after the other and cannot make a cycle between them; the counter
 * grows with every change that a gateway's device scope shows ({@link #bump}). The tree is read whole (one query of
 * the devices that have a parent) and walked in memory; a tree is at most {@value DeviceRegistry#MAX_DEPTH} levels
 * deep.
 */
final class DeviceTree {

    /**
     * A device moved.
     *
     * @param oldAncestors its ancestors before, nearest first
     * @param newAncestors its ancestors now, nearest first
     * @param version the scope version of the move
     */
    record Move(List<String> oldAncestors, List<String> newAncestors, long version) {
    }

    /**
     * What a device scope is made of, read in one transaction.
     *
     * @param version the scope version it is of
     * @param rows the descendants' rows, parents before their children
     * @param secondaryThumbprints the descendants' secondary thumbprints, by id (those that have one)
     * @param edges the descendants that are gateways (they have children or module identities)
     */
    record ScopeRows(long version, List<DeviceRepository.Row> rows, Map<String, String> secondaryThumbprints,
            Set<String> edges) {
    }

    private final HubDatabase db;

    DeviceTree(HubDatabase db) {
        this.db = db;
    }

    /** @return the scope version now */
    long version() {
        return db.transaction("reading the scope version", DeviceTree::version);
    }

    /** @return the scope version after adding one to it (for a change a device scope shows) */
    long bump() {
        return db.transaction("counting a change of the device scopes", DeviceTree::bump);
    }

    /** @return the device's ancestors, nearest first (empty if it has no parent or is unknown) */
    List<String> ancestors(String id) {
        // Walked up a row at a time (at most MAX_DEPTH reads by primary key), not by reading the whole tree: every
        // connection on a gateway's behalf asks.
        return db.transaction("reading the ancestors of " + id, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT parent_id FROM devices WHERE id = ?")) {
                String at = id;
                while (out.size() <= DeviceRegistry.MAX_DEPTH) {
                    s.setString(1, at);
                    try (ResultSet r = s.executeQuery()) {
                        at = r.next() ? r.getString(1) : null;
                    }
                    if (at == null || out.contains(at) || at.equals(id)) {
                        break;
                    }
                    out.add(at);
                }
            }
            return out;
        });
    }

    /** @return the device's parent; empty if it has none or is not registered */
    Optional<String> parent(String id) {
        return db.transaction("reading the parent of " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT parent_id FROM devices WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** @return the devices whose parent is {@code id}, by id */
    List<String> children(String id) {
        return db.transaction("reading the children of " + id, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM devices WHERE parent_id = ? ORDER BY id")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** @return the devices below {@code id}, parents before their children, siblings by id */
    List<String> descendants(String id) {
        return db.transaction("reading the devices below " + id, c -> descendants(parents(c), id));
    }

    /**
     * Moves a device below another parent, or takes its parent away.
     *
     * @param parentId the new parent, or null
     * @throws IllegalArgumentException if there is no such device or parent, or the move makes a cycle or a tree
     *             deeper than {@value DeviceRegistry#MAX_DEPTH}; nothing changes then
     */
    Move move(String id, String parentId) {
        return db.transaction("moving device " + id, c -> {
            long version = bump(c);
            if (!exists(c, id)) {
                throw DeviceKeys.noDevice(id);
            }
            Map<String, String> parents = parents(c);
            List<String> before = ancestors(parents, id);
            List<String> after = new ArrayList<>();
            if (parentId != null) {
                checkParent(c, parents, id, parentId);
                List<String> above = ancestors(parents, parentId);
                if (above.contains(id)) {
                    throw new IllegalArgumentException("device '" + parentId + "' is below '" + id + "' (its"
                            + " ancestors: " + String.join(" < ", above) + "): making it the parent of '" + id
                            + "' would make a cycle; move '" + parentId + "' elsewhere first");
                }
                int depth = above.size() + 1 + height(parents, id);
                if (depth > DeviceRegistry.MAX_DEPTH) {
                    throw tooDeep(id, parentId, depth);
                }
                after.add(parentId);
                after.addAll(above);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE devices SET parent_id = ? WHERE id = ?")) {
                s.setString(1, parentId);
                s.setString(2, id);
                s.executeUpdate();
            }
            return new Move(before, after, version);
        });
    }

    /**
     * Checks, in the transaction that registers {@code id}, that {@code parentId} may be its parent; takes the
     * counter's row (tree changes one at a time) and counts the change.
     *
     * @throws IllegalArgumentException if it may not: unknown, itself, or too deep
     */
    static void checkNewParent(Connection c, String id, String parentId) throws SQLException {
        bump(c);
        Map<String, String> parents = parents(c);
        checkParent(c, parents, id, parentId);
        int depth = ancestors(parents, parentId).size() + 1;
        if (depth > DeviceRegistry.MAX_DEPTH) {
            throw tooDeep(id, parentId, depth);
        }
    }

    /** Reads what the scope of {@code gateway} is made of. */
    ScopeRows scope(String gateway) {
        return db.transaction("reading the device scope of " + gateway, c -> {
            long version = version(c);
            Map<String, String> parents = parents(c);
            List<String> below = descendants(parents, gateway);
            Map<String, DeviceRepository.Row> rows = new HashMap<>();
            Map<String, String> secondaryThumbprints = new HashMap<>();
            Set<String> wanted = new HashSet<>(below);
            try (PreparedStatement s = c.prepareStatement("SELECT " + DeviceRepository.COLUMNS
                    + ", secondary_thumbprint FROM devices WHERE parent_id IS NOT NULL");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    DeviceRepository.Row row = DeviceRepository.row(r);
                    if (wanted.contains(row.id())) {
                        rows.put(row.id(), row);
                        if (r.getString(12) != null) {
                            secondaryThumbprints.put(row.id(), r.getString(12));
                        }
                    }
                }
            }
            Set<String> edges = new HashSet<>(parents.values());
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT device_id FROM module_identities");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    edges.add(r.getString(1));
                }
            }
            edges.retainAll(wanted);
            return new ScopeRows(version, below.stream().filter(rows::containsKey).map(rows::get).toList(),
                    secondaryThumbprints, edges);
        });
    }

    private static void checkParent(Connection c, Map<String, String> parents, String id, String parentId)
            throws SQLException {
        if (parentId.equals(id)) {
            throw new IllegalArgumentException("device '" + id + "' cannot be its own parent: give another device"
                    + " (a gateway) as --parent");
        }
        if (!exists(c, parentId)) {
            throw new IllegalArgumentException("no parent device '" + parentId + "' is registered: register the"
                    + " gateway first (hub:device-create " + parentId + "), or give another parent");
        }
    }

    private static IllegalArgumentException tooDeep(String id, String parentId, int depth) {
        return new IllegalArgumentException("below '" + parentId + "', device '" + id + "' (or a device below it)"
                + " would be " + depth + " levels deep; at most " + DeviceRegistry.MAX_DEPTH + " are allowed: give a"
                + " parent nearer the top");
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM devices WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** @return the parent of every device that has one */
    static Map<String, String> parents(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, parent_id FROM devices WHERE parent_id IS NOT NULL");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    /** @return the ancestors of {@code id} in the tree {@code parents}, nearest first */
    static List<String> ancestors(Map<String, String> parents, String id) {
        List<String> out = new ArrayList<>();
        String at = parents.get(id);
        // Bounded: a cycle (which the checks do not let happen) does not loop.
        while (at != null && out.size() <= parents.size() && !out.contains(at)) {
            out.add(at);
            at = parents.get(at);
        }
        return out;
    }

    /** @return the devices below {@code id} in the tree {@code parents}, breadth first, siblings by id */
    static List<String> descendants(Map<String, String> parents, String id) {
        Map<String, Set<String>> children = new TreeMap<>();
        parents.forEach((child, parent) -> children.computeIfAbsent(parent, p -> new TreeSet<>()).add(child));
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(id));
        Deque<String> todo = new ArrayDeque<>(List.of(id));
        while (!todo.isEmpty()) {
            for (String child : children.getOrDefault(todo.poll(), Set.of())) {
                if (seen.add(child)) {
                    out.add(child);
                    todo.add(child);
                }
            }
        }
        return out;
    }

    /** @return how many levels are below {@code id} (0 for a device without children) */
    private static int height(Map<String, String> parents, String id) {
        int height = 0;
        for (String d : descendants(parents, id)) {
            height = Math.max(height, ancestors(parents, d).indexOf(id) + 1);
        }
        return height;
    }

    private static long version(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM scope_version WHERE id = 1");
                ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static long bump(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE scope_version SET version = version + 1 WHERE id = 1")) {
            s.executeUpdate();
        }
        return version(c);
    }
}
