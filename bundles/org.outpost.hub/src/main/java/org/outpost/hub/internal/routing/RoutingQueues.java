/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.outpost.hub.storage.HubDatabase;

/**
 * The endpoints' durable queues in the hub database: a message gets the next sequence of its endpoint (its row in
 * routing_sequences is the counter, so nodes enqueueing at once take turns on it and never share a number), one node at a time
 * delivers an endpoint (its lease), and what keeps failing moves to the dead letters.
 */
final class RoutingQueues {

    /** A message to queue. */
    record Item(String endpoint, String route, long enqueuedMs, String properties, String body) {
    }

    /** A queued (or dead) message. */
    record Row(long seq, String route, long enqueuedMs, String properties, String body, int attempts, String reason,
            long deadMs) {
    }

    /** The delivery state of an endpoint. */
    record State(String name, String type, String settings, String leaseNode, long leaseUntilMs, int attempts,
            long retryAtMs, long delivered, long failed, long dead, String lastError, long lastErrorMs,
            long lastDeliveredMs, long queued, long oldestMs, long createdMs) {
    }

    private final HubDatabase db;

    RoutingQueues(HubDatabase db) {
        this.db = db;
    }

    /** Queues the items in one transaction, in their order per endpoint. */
    void enqueue(List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        // The endpoints' sequence rows are locked in name order, the same in every transaction, so that two nodes
        // enqueueing for the same endpoints at once wait for each other instead of deadlocking (PostgreSQL). They are
        // not the endpoints' rows, which delivery updates: a batch being queued does not hold up a delivery.
        Map<String, List<Item>> byEndpoint = new java.util.TreeMap<>();
        for (Item i : items) {
            byEndpoint.computeIfAbsent(i.endpoint(), k -> new ArrayList<>()).add(i);
        }
        db.transaction("queueing " + items.size() + " routed message(s)", c -> {
            try (PreparedStatement take = c.prepareStatement("UPDATE routing_sequences SET next_seq = next_seq + ?"
                    + " WHERE endpoint = ?");
                    PreparedStatement read = c.prepareStatement("SELECT next_seq FROM routing_sequences WHERE"
                            + " endpoint = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO routing_queue (endpoint, seq, route,"
                            + " enqueued_ms, properties, body) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, List<Item>> e : byEndpoint.entrySet()) {
                    int n = e.getValue().size();
                    take.setInt(1, n);
                    take.setString(2, e.getKey());
                    if (take.executeUpdate() != 1) {
                        continue; // deleted meanwhile: its messages go with it
                    }
                    read.setString(1, e.getKey());
                    long seq;
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1) - n;
                    }
                    for (Item i : e.getValue()) {
                        insert.setString(1, i.endpoint());
                        insert.setLong(2, seq++);
                        insert.setString(3, i.route());
                        insert.setLong(4, i.enqueuedMs());
                        insert.setString(5, i.properties());
                        insert.setString(6, i.body());
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * Takes (or renews) the endpoint's lease for this node until {@code untilMs} when it is free, this node's or
     * expired, and reads the endpoint's delivery state in the same transaction.
     *
     * @return the state (queued and oldestMs -1), or empty if another node holds the lease or there is no endpoint
     */
    java.util.Optional<State> lease(String endpoint, String node, long nowMs, long untilMs) {
        return db.transaction("taking the delivery lease of endpoint '" + endpoint + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE routing_endpoints SET lease_node = ?,"
                    + " lease_until_ms = ? WHERE name = ? AND (lease_node IS NULL OR lease_node = ? OR"
                    + " lease_until_ms < ?)")) {
                s.setString(1, node);
                s.setLong(2, untilMs);
                s.setString(3, endpoint);
                s.setString(4, node);
                s.setLong(5, nowMs);
                if (s.executeUpdate() != 1) {
                    return java.util.Optional.<State>empty();
                }
            }
            return state(c, endpoint);
        });
    }

    /** @return the endpoints with queued messages that this node may deliver now (due, lease free or its own) */
    List<String> due(String node, long nowMs) {
        return db.transaction("looking for routing endpoints to deliver", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT e.name FROM routing_endpoints e WHERE e.name <>"
                    + " 'events' AND e.retry_at_ms <= ? AND (e.lease_node IS NULL OR e.lease_node = ? OR"
                    + " e.lease_until_ms < ?) AND EXISTS (SELECT 1 FROM routing_queue q WHERE q.endpoint ="
                    + " e.name)")) {
                s.setLong(1, nowMs);
                s.setString(2, node);
                s.setLong(3, nowMs);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Gives up this node's leases (when it stops), so that another node takes over at once. */
    void release(String node) {
        db.transaction("giving up the delivery leases of node " + node, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE routing_endpoints SET lease_node = NULL,"
                    + " lease_until_ms = 0 WHERE lease_node = ?")) {
                s.setString(1, node);
                return s.executeUpdate();
            }
        });
    }

    /**
     * @param after a sequence below the head (0 if unknown): the scan starts there, not at the index entries of the
     *            messages deleted before it (which a database keeps a while)
     * @return the first {@code limit} messages of the endpoint's queue (ordered by endpoint and seq, the primary key:
     *         H2 reads the index in order and stops after {@code limit} rows; ordered by seq alone it read and sorted
     *         the endpoint's whole queue for every batch)
     */
    List<Row> head(String endpoint, long after, int limit) {
        return db.transaction("reading the queue of endpoint '" + endpoint + "'", c -> rows(c, HEAD, endpoint, after,
                limit));
    }

    static final String HEAD = "SELECT seq, route, enqueued_ms, properties, body, 0, NULL, 0 FROM routing_queue WHERE"
            + " endpoint = ? AND seq > ? ORDER BY endpoint, seq LIMIT ?";

    static List<Row> rows(Connection c, String sql, String endpoint, long after, int limit)
            throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, endpoint);
            s.setLong(2, after);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), rs.getString(7), rs.getLong(8)));
                }
            }
        }
        return out;
    }

    /**
     * Thrown (rolling the transaction back) when this node settles a delivery of an endpoint whose lease it no longer
     * holds: another node may be delivering the same messages, and its word counts.
     */
    static final class LeaseLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(String endpoint, String node) {
            super("hub node " + node + " no longer holds the delivery lease of endpoint '" + endpoint + "' (it"
                    + " expired: raise lease.seconds above the longest batch); another node delivers it");
        }
    }

    /** Longest error text stored (last_error, a dead letter's reason). */
    static final int MAX_ERROR = 2000;

    /**
     * @return the error text as stored: control characters (PostgreSQL refuses NUL in text) as spaces, at most
     *         {@link #MAX_ERROR} characters
     */
    static String storable(String error) {
        if (error == null) {
            return null;
        }
        String s = error.replaceAll("\\p{Cntrl}", " ");
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 3) + "...";
    }

    /** The condition fencing a node's writes: it holds the endpoint's lease, unexpired. */
    private static final String FENCE = " AND lease_node = ? AND lease_until_ms >= ?";

    private static void fence(PreparedStatement u, int at, String endpoint, String node, long nowMs)
            throws SQLException {
        u.setString(at, node);
        u.setLong(at + 1, nowMs);
        if (u.executeUpdate() != 1) {
            throw new LeaseLostException(endpoint, node);
        }
    }

    /** Extends this node's lease of the endpoint, if it still holds it. @return whether it did */
    boolean renew(String endpoint, String node, long nowMs, long untilMs) {
        return db.transaction("renewing the delivery lease of endpoint '" + endpoint + "'", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE routing_endpoints SET lease_until_ms = ? WHERE"
                    + " name = ?" + FENCE)) {
                u.setLong(1, untilMs);
                u.setString(2, endpoint);
                u.setString(3, node);
                u.setLong(4, nowMs);
                return u.executeUpdate() == 1;
            }
        });
    }

    /**
     * Removes the delivered messages (sequences {@code firstSeq} to {@code lastSeq}) and counts them.
     *
     * @throws LeaseLostException if {@code node} no longer holds the endpoint's lease (nothing changed)
     */
    void delivered(String endpoint, String node, long firstSeq, long lastSeq, int count, long nowMs) {
        deliveredAndRenewed(endpoint, node, firstSeq, lastSeq, count, nowMs, -1);
    }

    /**
     * Removes the delivered messages (sequences {@code firstSeq} to {@code lastSeq}), counts them, extends this node's
     * lease until {@code untilMs} (if later than now) and reads the endpoint's state, in one transaction: the next
     * batch needs no transaction of its own to renew the lease.
     *
     * @return the endpoint's state after this (as {@link #lease} returns it)
     * @throws LeaseLostException if {@code node} no longer holds the endpoint's lease (nothing changed)
     */
    State deliveredAndRenewed(String endpoint, String node, long firstSeq, long lastSeq, int count, long nowMs,
            long untilMs) {
        return db.transaction("acknowledging " + count + " message(s) of endpoint '" + endpoint + "'", c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM routing_queue WHERE endpoint = ? AND seq"
                    + " BETWEEN ? AND ?");
                    PreparedStatement u = c.prepareStatement("UPDATE routing_endpoints SET delivered = delivered + ?,"
                            + " attempts = 0, retry_at_ms = 0, last_delivered_ms = ?,"
                            + " lease_until_ms = GREATEST(lease_until_ms, ?) WHERE name = ?" + FENCE)) {
                u.setInt(1, count);
                u.setLong(2, nowMs);
                u.setLong(3, untilMs);
                u.setString(4, endpoint);
                fence(u, 5, endpoint, node, nowMs);
                d.setString(1, endpoint);
                d.setLong(2, firstSeq);
                d.setLong(3, lastSeq);
                d.executeUpdate();
            }
            return state(c, endpoint).orElseThrow(() -> new LeaseLostException(endpoint, node));
        });
    }

    /** Counts a failed attempt and sets when the next is due. @throws LeaseLostException as delivered does */
    void failed(String endpoint, String node, String error, long nowMs, long retryAtMs) {
        setError("recording a failed delivery to endpoint '" + endpoint + "'", "attempts = attempts + 1,"
                + " failed = failed + 1, ", endpoint, node, error, nowMs, retryAtMs);
    }

    /** Records that the endpoint's sink could not be opened and when to try again, counting no attempt. */
    void cannotOpen(String endpoint, String node, String error, long nowMs, long retryAtMs) {
        setError("recording that endpoint '" + endpoint + "' cannot be opened", "", endpoint, node, error, nowMs,
                retryAtMs);
    }

    /** Sets the endpoint's last error and next try (and {@code counting}, SQL assignments ending in ", "), fenced. */
    private void setError(String what, String counting, String endpoint, String node, String error, long nowMs,
            long retryAtMs) {
        db.transaction(what, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE routing_endpoints SET " + counting
                    + "retry_at_ms = ?, last_error = ?, last_error_ms = ? WHERE name = ?" + FENCE)) {
                u.setLong(1, retryAtMs);
                u.setString(2, storable(error));
                u.setLong(3, nowMs);
                u.setString(4, endpoint);
                fence(u, 5, endpoint, node, nowMs);
            }
            return null;
        });
    }

    /** Moves messages from the queue to the dead letters, with why; the next message starts with no attempts. */
    void deadLetter(String endpoint, String node, List<Row> rows, int attempts, String reason, long nowMs) {
        db.transaction("moving " + rows.size() + " message(s) of endpoint '" + endpoint + "' to its dead letters",
                c -> {
                    try (PreparedStatement i = c.prepareStatement("INSERT INTO routing_dead_letters (endpoint, seq,"
                            + " route, enqueued_ms, properties, body, attempts, reason, dead_ms) VALUES (?, ?, ?, ?,"
                            + " ?, ?, ?, ?, ?)");
                            PreparedStatement d = c.prepareStatement("DELETE FROM routing_queue WHERE endpoint = ?"
                                    + " AND seq = ?");
                            PreparedStatement u = c.prepareStatement("UPDATE routing_endpoints SET dead = dead + ?,"
                                    + " attempts = 0, retry_at_ms = 0, last_error = ?, last_error_ms = ? WHERE name"
                                    + " = ?" + FENCE)) {
                        u.setInt(1, rows.size());
                        u.setString(2, storable(reason));
                        u.setLong(3, nowMs);
                        u.setString(4, endpoint);
                        fence(u, 5, endpoint, node, nowMs);
                        for (Row r : rows) {
                            i.setString(1, endpoint);
                            i.setLong(2, r.seq());
                            i.setString(3, r.route());
                            i.setLong(4, r.enqueuedMs());
                            i.setString(5, r.properties());
                            i.setString(6, r.body());
                            i.setInt(7, attempts);
                            i.setString(8, storable(reason));
                            i.setLong(9, nowMs);
                            i.addBatch();
                            d.setString(1, endpoint);
                            d.setLong(2, r.seq());
                            d.addBatch();
                        }
                        i.executeBatch();
                        d.executeBatch();
                    }
                    return null;
                });
    }

    List<Row> deadLetters(String endpoint, int limit) {
        return db.transaction("reading the dead letters of endpoint '" + endpoint + "'", c -> rows(c, "SELECT seq,"
                + " route, enqueued_ms, properties, body, attempts, reason, dead_ms FROM routing_dead_letters WHERE"
                + " endpoint = ? AND seq > ? ORDER BY endpoint, seq LIMIT ?", endpoint, 0L, limit));
    }

    /** @see Replay#replay */
    int replay(String endpoint, List<Long> sequences) {
        return Replay.replay(db, endpoint, sequences);
    }

    /** @return one endpoint's delivery state, without its queue's length (queued and oldestMs are -1) */
    java.util.Optional<State> state(String endpoint) {
        return db.transaction("reading endpoint '" + endpoint + "'", c -> state(c, endpoint));
    }

    private static java.util.Optional<State> state(Connection c, String endpoint) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, type, settings, lease_node, lease_until_ms,"
                + " attempts, retry_at_ms, delivered, failed, dead, last_error, last_error_ms, last_delivered_ms,"
                + " created_ms FROM routing_endpoints WHERE name = ?")) {
            s.setString(1, endpoint);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new State(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10), rs.getString(11), rs.getLong(12), rs.getLong(13), -1, -1, rs.getLong(14)));
            }
        }
    }

    /** @return every endpoint's delivery state and queue */
    List<State> states() {
        return db.transaction("reading the routing endpoints' queues", c -> {
            List<State> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT e.name, e.type, e.settings, e.lease_node,"
                    + " e.lease_until_ms, e.attempts, e.retry_at_ms, e.delivered, e.failed, e.dead, e.last_error,"
                    + " e.last_error_ms, e.last_delivered_ms, (SELECT COUNT(*) FROM routing_queue q WHERE q.endpoint"
                    + " = e.name), (SELECT MIN(q.enqueued_ms) FROM routing_queue q WHERE q.endpoint = e.name),"
                    + " e.created_ms FROM routing_endpoints e ORDER BY e.name"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new State(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            rs.getString(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15),
                            rs.getLong(16)));
                }
            }
            return out;
        });
    }
}
