/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.outpost.api.message.Message;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RoutedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes batches into one table over one connection (opened at the first delivery, again after a failure): the
 * table is created if missing, a batch is inserted in one transaction, and {@code ON CONFLICT (sequence) DO NOTHING}
 * makes a redelivered message a no-op. The sequence is unique per endpoint: one table per endpoint.
 */
final class PostgresSink implements EndpointSink {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

    private final String name;
    private final DataSource ds;
    private final String url;
    private final String table;
    private Connection connection;

    PostgresSink(String name, DataSource ds, String url, String table) {
        this.name = name;
        this.ds = ds;
        this.url = url;
        this.table = table;
    }

    static String createTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "sequence bigint PRIMARY KEY, "
                + "route text NOT NULL, "
                + "device_id text, "
                + "module_id text, "
                + "enqueued_time timestamptz NOT NULL, "
                + "properties jsonb NOT NULL, "
                + "system_properties jsonb NOT NULL, "
                + "body jsonb, "
                + "body_bytes bytea)";
    }

    private String insert() {
        return "INSERT INTO " + table + " (sequence, route, device_id, module_id, enqueued_time, properties, "
                + "system_properties, body, body_bytes) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), "
                + "CAST(? AS jsonb), ?) ON CONFLICT (sequence) DO NOTHING";
    }

    @Override
    public synchronized void deliver(List<RoutedMessage> batch) throws SQLException {
        try {
            Connection c = connection();
            try (PreparedStatement insert = c.prepareStatement(insert())) {
                for (RoutedMessage routed : batch) {
                    bind(insert, routed);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            closeConnection();
            throw new SQLException("routing endpoint " + name + " (postgres): cannot write " + batch.size()
                    + " message(s) to table " + table + " of " + url + ": " + e.getMessage()
                    + " (the hub retries; check the database and the endpoint's settings)", e.getSQLState(), e);
        }
    }

    private static void bind(PreparedStatement insert, RoutedMessage routed) throws SQLException {
        Message m = routed.message();
        insert.setLong(1, routed.sequence());
        insert.setString(2, routed.route());
        insert.setString(3, m.connectionDeviceId());
        insert.setString(4, m.connectionModuleId());
        insert.setObject(5, OffsetDateTime.ofInstant(routed.enqueuedTime(), ZoneOffset.UTC));
        insert.setString(6, MessageJson.text(m.properties()));
        insert.setString(7, MessageJson.text(MessageJson.systemProperties(m)));
        JsonNode body = MessageJson.jsonBody(m);
        if (body != null && !body.toString().contains("\\u0000")) {
            insert.setString(8, MessageJson.text(body));
            insert.setNull(9, Types.BINARY);
        } else {
            insert.setNull(8, Types.OTHER);
            insert.setBytes(9, m.body());
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = ds.getConnection();
            try {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute(createTable(table));
                }
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
            LOG.info("Routing endpoint {} (postgres) writes to table {} of {}", name, table, url);
        }
        return connection;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException e) {
                // the connection is broken: closing is all there is to do
            }
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection of routing endpoint {}: {}", name, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
