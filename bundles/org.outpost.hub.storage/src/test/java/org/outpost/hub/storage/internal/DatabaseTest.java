/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.StorageException;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void migratesTheEmbeddedDatabaseOnceAndRegistersTheNode() {
        String first;
        try (Database db = new Database(Database.Settings.embedded(dir))) {
            assertThat(db.product()).isEqualTo("H2");
            first = db.nodeId();
            assertThat(versions(db)).containsExactly("1", "2", "3", "4", "5", "5.1", "6", "7", "8", "9", "10");
            assertThat(nodes(db)).containsExactly(first);
        }
        try (Database db = new Database(Database.Settings.embedded(dir))) {
            // Opened again: nothing more to migrate, the old node left, this start is a new node.
            assertThat(versions(db)).containsExactly("1", "2", "3", "4", "5", "5.1", "6", "7", "8", "9", "10");
            assertThat(db.nodeId()).isNotEqualTo(first);
            assertThat(nodes(db)).containsExactly(db.nodeId());
        }
    }

    @Test
    void version10MovesEachEndpointsSequenceCounterToItsOwnRowAndDropsTheOldColumn() throws Exception {
        String url = Database.Settings.embedded(dir).url();
        // A database at version 9 with an endpoint that handed out sequences up to 499.
        org.flywaydb.core.Flyway.configure(Database.class.getClassLoader()).dataSource(url, "", "")
                .locations("classpath:org/outpost/hub/storage/migration").table("outpost_schema_history")
                .target("9").load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "", "")) {
            c.createStatement().executeUpdate("INSERT INTO routing_endpoints (name, type, settings, next_seq,"
                    + " lease_until_ms, attempts, retry_at_ms, delivered, failed, dead, created_ms) VALUES ('hook',"
                    + " 'webhook', '{}', 500, 0, 0, 0, 0, 0, 0, 1)");
        }
        try (Database db = new Database(Database.Settings.embedded(dir))) {
            assertThat(versions(db)).endsWith("9", "10");
            java.util.Map<String, Long> counters = db.transaction("reading the counters", c -> {
                java.util.Map<String, Long> out = new java.util.TreeMap<>();
                try (ResultSet r = c.createStatement().executeQuery("SELECT endpoint, next_seq FROM"
                        + " routing_sequences")) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getLong(2));
                    }
                }
                return out;
            });
            assertThat(counters).containsExactly(java.util.Map.entry("events", 1L), java.util.Map.entry("hook",
                    500L));
            // A node of an older version cannot hand out sequences from the old counter any more.
            assertThatThrownBy(() -> db.transaction("taking a sequence the old way", c -> c.createStatement()
                    .executeUpdate("UPDATE routing_endpoints SET next_seq = next_seq + 1 WHERE name = 'hook'")))
                    .isInstanceOf(StorageException.class);
            // The counter goes with its endpoint.
            db.transaction("deleting the endpoint", c -> c.createStatement().executeUpdate("DELETE FROM"
                    + " routing_endpoints WHERE name = 'hook'"));
            int left = db.transaction("counting", c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM routing_sequences")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertThat(left).isEqualTo(1);
        }
    }

    @Test
    void aFailedTransactionKeepsNothing() {
        try (Database db = new Database(Database.Settings.embedded(dir))) {
            assertThatThrownBy(() -> db.transaction("adding a device twice", c -> {
                for (int i = 0; i < 2; i++) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO devices (id, created_ms, salt,"
                            + " key_hash) VALUES ('d1', 0, 's', 'h')")) {
                        s.executeUpdate();
                    }
                }
                return null;
            })).isInstanceOf(StorageException.class).hasMessageStartingWith("adding a device twice: ")
                    .matches(e -> ((StorageException) e).conflict(), "is a conflict");
            int devices = db.transaction("counting", c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM devices")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertThat(devices).isZero();
        }
    }

    @Test
    void refusesAnUnknownDatabaseWithWhatToDo() {
        assertThatThrownBy(() -> new Database.Settings("jdbc:mysql://x/y", "", "", 10, ""))
                .hasMessageContaining("neither jdbc:h2:... nor jdbc:postgresql://")
                .hasMessageContaining("etc/org.outpost.hub.storage.cfg");
    }

    @Test
    void anUnreachablePostgresqlIsRefusedWithWhatToCheckAndNoPassword() {
        // Port 1 on loopback: nothing listens there. The pool tries for its 10 s, then gives up with the reason.
        assertThatThrownBy(() -> new Database(new Database.Settings("jdbc:postgresql://127.0.0.1:1/outpost"
                + "?password=secret", "outpost", "", 2, ""))).isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot open the hub database jdbc:postgresql://127.0.0.1:1/outpost"
                        + "?password=***")
                .hasMessageContaining("is PostgreSQL running").hasMessageNotContaining("secret");
    }

    @Test
    void redactsPasswordsInUrls() {
        assertThat(Database.redacted("jdbc:postgresql://h/db?user=a&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
    }

    private static java.util.List<String> versions(Database db) {
        return db.transaction("reading the schema history", c -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet r = c.createStatement().executeQuery(
                    "SELECT \"version\" FROM \"outpost_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    private static java.util.List<String> nodes(Database db) {
        return db.transaction("reading the nodes", c -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT id FROM hub_nodes")) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }
}
