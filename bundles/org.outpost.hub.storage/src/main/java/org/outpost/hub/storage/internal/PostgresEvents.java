/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.outpost.commons.DaemonThreads;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the hub nodes' events: one connection of its own (outside the pool) that {@code LISTEN}s on the channel
 * and polls for notifications. When that connection is lost, it is opened again (waiting up to 10 s between tries)
 * and {@code resync} runs, because what was sent meanwhile is lost.
 */
final class PostgresEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresEvents.class);

    private final DataSource dataSource;
    private final String channel;
    private final Consumer<String> dispatch;
    private final Runnable resync;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("outpost-hub-db-events"));
    private volatile boolean running = true;
    private volatile Connection connection;

    PostgresEvents(DataSource dataSource, String channel, Consumer<String> dispatch, Runnable resync) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.dispatch = dispatch;
        this.resync = resync;
        try {
            this.connection = listen();
        } catch (SQLException e) {
            throw new org.outpost.hub.storage.StorageException("cannot listen for the other hub nodes' events: "
                    + e.getMessage(), e);
        }
        thread.execute(this::run);
    }

    private Connection listen() throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try {
                if (connection == null) {
                    connection = listen();
                    LOG.info("Listening for the other hub nodes' events again");
                    backoff = 500;
                    resync.run();
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(500);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        dispatch.accept(n.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Lost the connection for hub node events (trying again in {} ms): {}", backoff,
                        e.getMessage());
                closeQuietly();
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing the event connection: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
