/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLivenessTest {

    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    @Test
    void aNodeWhoseClockIsAMinuteFastNeitherEvictsTheOthersNorStampsItsOwnTime() {
        try (Database a = new Database(Database.Settings.embedded(dir));
                Database fast = new Database(Database.Settings.embedded(dir), () -> System.currentTimeMillis()
                        + MINUTE)) {
            fast.liveness().beat();

            Map<String, Long> seen = seen(a);
            assertThat(seen).containsOnlyKeys(a.nodeId(), fast.nodeId());
            // Both stamped by the database's clock: the fast node's beat is not a minute ahead of the other's.
            assertThat(seen.get(fast.nodeId())).isCloseTo(seen.get(a.nodeId()), within(10_000L));
            assertThat(fast.liveness().skewMillis()).isCloseTo(MINUTE, within(5_000L));
            assertThat(a.liveness().skewMillis()).isCloseTo(0L, within(5_000L));
        }
    }

    @Test
    void aNodeWhoseClockIsSlowDoesNotKeepAGoneNodeAlive() {
        try (Database gone = new Database(Database.Settings.embedded(dir));
                Database slow = new Database(Database.Settings.embedded(dir), () -> System.currentTimeMillis()
                        - MINUTE)) {
            // Not heard of for 25 s by the database's clock.
            slow.transaction("ageing a node", c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE hub_nodes SET seen_ms = "
                        + NodeLiveness.DB_NOW_MS + " - 25000 WHERE id = ?")) {
                    s.setString(1, gone.nodeId());
                    return s.executeUpdate();
                }
            });

            slow.liveness().beat();

            assertThat(seen(slow)).containsOnlyKeys(slow.nodeId());
            // The node taken for gone registers again at its next beat.
            gone.liveness().beat();
            assertThat(seen(slow)).containsOnlyKeys(slow.nodeId(), gone.nodeId());
        }
    }

    private static Map<String, Long> seen(Database db) {
        return db.transaction("reading the nodes", c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT id, seen_ms FROM hub_nodes")) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
            return out;
        });
    }
}
