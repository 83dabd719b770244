/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;

/** The database's connections as the settings say, each with its {@link Timeouts}. */
final class DataSources {

    private DataSources() {
    }

    /** @return connections straight to the database (no pool), with the connect, socket and statement timeouts */
    static DataSource raw(Database.Settings s) {
        Timeouts t = s.timeouts();
        if (s.url().startsWith("jdbc:h2:")) {
            // H2 takes its statement timeout per session (connectionInitSql below); it has no socket to wait on
            // when embedded.
            org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
            ds.setURL(s.url());
            ds.setUser(s.user());
            ds.setPassword(s.password());
            ds.setLoginTimeout(t.connectSeconds());
            return ds;
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(s.url());
        if (!s.user().isBlank()) {
            ds.setUser(s.user());
        }
        if (!s.password().isBlank()) {
            ds.setPassword(s.password());
        }
        ds.setApplicationName("outpost-hub");
        ds.setConnectTimeout(t.connectSeconds());
        ds.setLoginTimeout(t.connectSeconds());
        // A read on a link that went silent (half-open) ends after this, freeing its thread and its connection.
        ds.setSocketTimeout(t.socketSeconds());
        ds.setTcpKeepAlive(true);
        // The server cancels a statement that runs (or waits for a lock) longer than this.
        ds.setOptions("-c statement_timeout=" + t.statementSeconds() * 1000L);
        return ds;
    }

    /** @return the pool over the raw connections: a bounded wait for a connection, H2's statement timeout */
    static HikariConfig pool(Database.Settings s, DataSource raw) {
        Timeouts t = s.timeouts();
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(raw);
        hc.setMaximumPoolSize(s.poolSize());
        hc.setPoolName("outpost-hub-db");
        // The pool's counts as JMX beans, which the hub's metrics read (outpost_hub_db_connections).
        hc.setRegisterMbeans(true);
        // Waiting for a free connection (or a new one) fails after this, with the reason, rather than after 30 s.
        hc.setConnectionTimeout(t.poolWaitSeconds() * 1000L);
        // At start, fail with the reason (a wrong password, no server) within the connect timeout and a retry.
        hc.setInitializationFailTimeout(Math.max(10_000L, 2 * t.connectSeconds() * 1000L));
        // Checking a connection before it is handed out takes at most this (HikariCP's least: 250 ms).
        hc.setValidationTimeout(Math.max(250L, Math.min(5_000L, t.poolWaitSeconds() * 1000L - 1)));
        if (s.url().startsWith("jdbc:h2:")) {
            hc.setConnectionInitSql("SET QUERY_TIMEOUT " + t.statementSeconds() * 1000L);
        }
        hc.setAutoCommit(true);
        return hc;
    }
}
