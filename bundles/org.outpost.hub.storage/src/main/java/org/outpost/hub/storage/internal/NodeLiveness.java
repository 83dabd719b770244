/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.outpost.commons.DaemonThreads;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry in {@code hub_nodes}: registered at start, said to be alive every {@value #HEARTBEAT_SECONDS} s,
 * and the nodes not heard of for {@value #NODE_TIMEOUT_SECONDS} s removed (with what they kept per node, such as
 * their connections). Every time in {@code hub_nodes} is the database's clock, never a node's own: nodes whose clocks
 * disagree (one 20 s fast) would otherwise take each other for gone. A node whose clock is more than
 * {@value #SKEW_WARNING_MS} ms off the database's is warned of once, as the timestamps it writes elsewhere (message
 * expiry, last seen) are off by as much.
 */
final class NodeLiveness implements AutoCloseable {

    static final int HEARTBEAT_SECONDS = 5;
    static final int NODE_TIMEOUT_SECONDS = 20;
    static final long SKEW_WARNING_MS = 5_000;
    /** The database's time in milliseconds since the epoch, in SQL that H2 and PostgreSQL both read. */
    static final String DB_NOW_MS = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);

    private final HubDatabase db;
    private final String nodeId;
    private final LongSupplier wallClock;
    private final Runnable resync;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-hub-db-heartbeat"));
    private volatile long skewMillis;
    private boolean skewWarned;

    /**
     * @param wallClock this node's clock (milliseconds since the epoch), compared with the database's only to warn
     * @param resync run when this node had been taken for gone and is registered again
     */
    NodeLiveness(HubDatabase db, String nodeId, LongSupplier wallClock, Runnable resync) {
        this.db = db;
        this.nodeId = nodeId;
        this.wallClock = wallClock;
        this.resync = resync;
    }

    /** Registers this node (at the database's time). */
    void register() {
        db.transaction("registering this hub node", c -> {
            insert(c, now(c));
            return null;
        });
    }

    /** Beats every {@value #HEARTBEAT_SECONDS} s until closed. */
    void start() {
        heartbeat.scheduleWithFixedDelay(this::beatLogged, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private void beatLogged() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("Hub node heartbeat failed (tried again in {} s): {}", HEARTBEAT_SECONDS, e.getMessage());
        }
    }

    /** Says this node is alive and removes the nodes not heard of for {@value #NODE_TIMEOUT_SECONDS} s. */
    void beat() {
        db.transaction("keeping this hub node registered", c -> {
            long now = now(c);
            try (PreparedStatement up = c.prepareStatement("UPDATE hub_nodes SET seen_ms = ? WHERE id = ?");
                    PreparedStatement gone = c.prepareStatement("DELETE FROM hub_nodes WHERE seen_ms < ?")) {
                up.setLong(1, now);
                up.setString(2, nodeId);
                if (up.executeUpdate() == 0) {
                    // Removed while this node could not reach the database: it comes back, its connections are
                    // counted again from now on.
                    insert(c, now);
                    LOG.warn("Hub node {} had been taken for gone; registered again", nodeId);
                    heartbeat.execute(resync);
                }
                gone.setLong(1, now - TimeUnit.SECONDS.toMillis(NODE_TIMEOUT_SECONDS));
                int n = gone.executeUpdate();
                if (n > 0) {
                    LOG.info("{} hub node(s) not heard of for {} s (by the database's clock) are taken as gone", n,
                            NODE_TIMEOUT_SECONDS);
                }
                return null;
            }
        });
    }

    /** @return how far this node's clock was ahead of the database's at the last look (negative: behind) */
    long skewMillis() {
        return skewMillis;
    }

    private long now(Connection c) throws SQLException {
        long now;
        try (PreparedStatement s = c.prepareStatement("SELECT " + DB_NOW_MS); ResultSet r = s.executeQuery()) {
            r.next();
            now = r.getLong(1);
        }
        noteSkew(wallClock.getAsLong() - now);
        return now;
    }

    private synchronized void noteSkew(long skew) {
        skewMillis = skew;
        boolean off = Math.abs(skew) > SKEW_WARNING_MS;
        if (off && !skewWarned) {
            LOG.warn("This hub node's clock is {} ms {} the database's: node liveness uses the database's clock, but"
                    + " the times this node writes (message expiry, last seen) are off by as much; synchronise its"
                    + " clock (NTP)", Math.abs(skew), skew > 0 ? "ahead of" : "behind");
        } else if (!off && skewWarned) {
            LOG.info("This hub node's clock agrees with the database's again ({} ms)", skew);
        }
        skewWarned = off;
    }

    private void insert(Connection c, long now) throws SQLException {
        try (PreparedStatement in = c.prepareStatement(
                "INSERT INTO hub_nodes (id, started_ms, seen_ms) VALUES (?, ?, ?)")) {
            in.setString(1, nodeId);
            in.setLong(2, now);
            in.setLong(3, now);
            in.executeUpdate();
        }
    }

    /** Stops beating and unregisters this node. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            db.transaction("unregistering this hub node", c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM hub_nodes WHERE id = ?")) {
                    s.setString(1, nodeId);
                    return s.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not unregister hub node {} (the others will take it as gone in {} s): {}", nodeId,
                    NODE_TIMEOUT_SECONDS, e.getMessage());
        }
    }
}
