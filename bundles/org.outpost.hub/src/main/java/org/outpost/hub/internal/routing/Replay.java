/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.outpost.hub.storage.HubDatabase;

/** Dead letters back into their endpoint's queue. */
final class Replay {

    private Replay() {
    }

    /** Dead letters read at once while replaying. */
    static final int REPLAY_PAGE = 500;

    /**
     * Moves dead letters back to the end of the queue, with new sequences, in their order, in one transaction: the
     * endpoint's row is locked first, then its sequence row (as enqueueing does), the dead letters are read page by
     * page, and only those this transaction deleted (a replay at the same time through another node takes the others)
     * are queued and counted.
     *
     * @param sequences the dead letters to replay; empty: all
     * @return how many moved
     */
    static int replay(HubDatabase db, String endpoint, List<Long> sequences) {
        java.util.Set<Long> wanted = new java.util.HashSet<>(sequences);
        return db.transaction("replaying the dead letters of endpoint '" + endpoint + "'", c -> {
            try (PreparedStatement lock = c.prepareStatement("UPDATE routing_endpoints SET attempts = 0,"
                    + " retry_at_ms = 0 WHERE name = ?");
                    PreparedStatement delete = c.prepareStatement("DELETE FROM routing_dead_letters WHERE endpoint"
                            + " = ? AND seq = ?");
                    PreparedStatement take = c.prepareStatement("UPDATE routing_sequences SET next_seq = next_seq"
                            + " + ? WHERE endpoint = ?");
                    PreparedStatement count = c.prepareStatement("UPDATE routing_endpoints SET dead = dead - ? WHERE"
                            + " name = ?");
                    PreparedStatement read = c.prepareStatement("SELECT next_seq FROM routing_sequences WHERE"
                            + " endpoint = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO routing_queue (endpoint, seq, route,"
                            + " enqueued_ms, properties, body) VALUES (?, ?, ?, ?, ?, ?)")) {
                lock.setString(1, endpoint);
                if (lock.executeUpdate() != 1) {
                    return 0;
                }
                int moved = 0;
                long after = 0;
                while (true) {
                    List<RoutingQueues.Row> page = RoutingQueues.rows(c, "SELECT seq, route, enqueued_ms,"
                            + " properties, body, attempts, reason, dead_ms FROM routing_dead_letters WHERE endpoint"
                            + " = ? AND seq > ? ORDER BY endpoint, seq LIMIT ?", endpoint, after, REPLAY_PAGE);
                    if (page.isEmpty()) {
                        break;
                    }
                    after = page.get(page.size() - 1).seq();
                    List<RoutingQueues.Row> mine = new ArrayList<>();
                    for (RoutingQueues.Row r : page) {
                        if (!wanted.isEmpty() && !wanted.contains(r.seq())) {
                            continue;
                        }
                        delete.setString(1, endpoint);
                        delete.setLong(2, r.seq());
                        if (delete.executeUpdate() == 1) {
                            mine.add(r);
                        }
                    }
                    if (mine.isEmpty()) {
                        continue;
                    }
                    take.setInt(1, mine.size());
                    take.setString(2, endpoint);
                    take.executeUpdate();
                    count.setInt(1, mine.size());
                    count.setString(2, endpoint);
                    count.executeUpdate();
                    read.setString(1, endpoint);
                    long seq;
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1) - mine.size();
                    }
                    for (RoutingQueues.Row r : mine) {
                        insert.setString(1, endpoint);
                        insert.setLong(2, seq++);
                        insert.setString(3, r.route());
                        insert.setLong(4, r.enqueuedMs());
                        insert.setString(5, r.properties());
                        insert.setString(6, r.body());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    moved += mine.size();
                }
                return moved;
            }
        });
    }
}
