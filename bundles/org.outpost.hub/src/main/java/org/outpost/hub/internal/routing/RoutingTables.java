/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.outpost.hub.routing.HubRouting;
import org.outpost.hub.storage.HubDatabase;

/** Endpoints, routes and consumer groups in the hub database (V9__message_routing.sql). */
final class RoutingTables {

    /** An endpoint's definition: its settings as JSON text. */
    record EndpointRow(String name, String type, String settings, long createdMs) {
    }

    /**
     * The first sequence of an endpoint created at {@code nowMs}: the time in milliseconds x 1,000, so that an endpoint
     * deleted and created again under the same name never hands out a sequence that the one before used (its sinks
     * drop a sequence they saw: PostgreSQL's ON CONFLICT, the files sink's last sequence). The one before would have
     * had to queue a thousand messages per millisecond over its whole life, or the clocks go back by that much. The
     * numbers stay below 2^53 (until the year 2255), so JSON receivers (JavaScript) read them exactly.
     */
    static long firstSequence(long nowMs) {
        return Math.max(1, nowMs) * 1_000L;
    }

    record GroupRow(String name, String tokenSha256, Instant created) {
    }

    private final HubDatabase db;

    RoutingTables(HubDatabase db) {
        this.db = db;
    }

    List<EndpointRow> endpoints() {
        return db.transaction("reading the routing endpoints", c -> {
            List<EndpointRow> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, type, settings, created_ms FROM"
                    + " routing_endpoints ORDER BY name"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new EndpointRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    Optional<EndpointRow> endpoint(String name) {
        return endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Creates the endpoint, or changes its type and settings (its queue and counters stay). */
    void putEndpoint(String name, String type, String settings, long now) {
        db.transaction("saving routing endpoint '" + name + "'", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE routing_endpoints SET type = ?, settings = ?"
                    + " WHERE name = ?")) {
                u.setString(1, type);
                u.setString(2, settings);
                u.setString(3, name);
                if (u.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO routing_endpoints (name, type, settings,"
                    + " lease_until_ms, attempts, retry_at_ms, delivered, failed, dead, created_ms)"
                    + " VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, ?)");
                    PreparedStatement q = c.prepareStatement("INSERT INTO routing_sequences (endpoint, next_seq)"
                            + " VALUES (?, ?)")) {
                i.setString(1, name);
                i.setString(2, type);
                i.setString(3, settings);
                i.setLong(4, now);
                i.executeUpdate();
                q.setString(1, name);
                q.setLong(2, firstSequence(now));
                q.executeUpdate();
            }
            return null;
        });
    }

    boolean deleteEndpoint(String name) {
        return db.transaction("deleting routing endpoint '" + name + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM routing_endpoints WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() == 1;
            }
        });
    }

    List<HubRouting.Route> routes() {
        return db.transaction("reading the routes", c -> {
            List<HubRouting.Route> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, source, condition_text, endpoints, enabled"
                    + " FROM routing_routes ORDER BY name"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String eps = rs.getString(4);
                    out.add(new HubRouting.Route(rs.getString(1), rs.getString(2), rs.getString(3),
                            eps.isEmpty() ? List.of() : Arrays.asList(eps.split(",")), rs.getBoolean(5)));
                }
            }
            return out;
        });
    }

    void putRoute(HubRouting.Route r, long now) {
        db.transaction("saving route '" + r.name() + "'", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE routing_routes SET source = ?, condition_text = ?,"
                    + " endpoints = ?, enabled = ?, updated_ms = ? WHERE name = ?")) {
                bind(u, r, now);
                u.setString(6, r.name());
                if (u.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO routing_routes (source, condition_text,"
                    + " endpoints, enabled, updated_ms, name) VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(i, r, now);
                i.setString(6, r.name());
                i.executeUpdate();
            }
            return null;
        });
    }

    private static void bind(PreparedStatement s, HubRouting.Route r, long now) throws SQLException {
        s.setString(1, r.source());
        s.setString(2, r.condition());
        s.setString(3, String.join(",", r.endpoints()));
        s.setBoolean(4, r.enabled());
        s.setLong(5, now);
    }

    boolean deleteRoute(String name) {
        return db.transaction("deleting route '" + name + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM routing_routes WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() == 1;
            }
        });
    }

    List<GroupRow> groups() {
        return db.transaction("reading the consumer groups", c -> {
            List<GroupRow> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, token_sha256, created_ms FROM"
                    + " routing_consumer_groups ORDER BY name"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new GroupRow(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
            return out;
        });
    }

    /** @return false if the name is taken */
    boolean addGroup(String name, String tokenSha256, long now) {
        return db.transaction("adding consumer group '" + name + "'", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM routing_consumer_groups WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO routing_consumer_groups (name, token_sha256,"
                    + " created_ms) VALUES (?, ?, ?)")) {
                s.setString(1, name);
                s.setString(2, tokenSha256);
                s.setLong(3, now);
                s.executeUpdate();
                return true;
            }
        });
    }

    boolean removeGroup(String name) {
        return db.transaction("removing consumer group '" + name + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM routing_consumer_groups WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate() == 1;
            }
        });
    }
}
