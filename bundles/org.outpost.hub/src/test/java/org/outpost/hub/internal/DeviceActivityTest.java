/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.Device;
import org.outpost.hub.storage.internal.Database;

class DeviceActivityTest {

    @TempDir
    Path dir;

    private Database db;
    private FlakyDatabase flaky;
    private DeviceRepository repository;
    private DeviceActivity activity;

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir));
        flaky = new FlakyDatabase(db);
        repository = new DeviceRepository(flaky, Boxes.BOX);
        repository.insert("gw", Instant.now(), new DeviceKeys.Hashed(new byte[] {1}, new byte[] {2}, "k"), null);
        activity = new DeviceActivity(repository);
    }

    @AfterEach
    void close() {
        flaky.down = false;
        activity.close();
        db.close();
    }

    private Device here() {
        return activity.view(repository.registered("gw").orElseThrow());
    }

    private DeviceRepository.Row stored() {
        return repository.find("gw").orElseThrow();
    }

    @Test
    void whatThisNodeSawShowsAtOnceAndIsStoredByAFlush() {
        activity.received("gw");
        activity.received("gw");
        assertThat(here().messages()).isEqualTo(2);
        assertThat(here().lastSeen()).isNotNull();
        assertThat(stored().messages()).isZero();

        activity.flush();
        assertThat(stored().messages()).isEqualTo(2);
        assertThat(stored().lastSeen()).isEqualTo(here().lastSeen());
        // Not counted twice: once stored, it is no longer added.
        assertThat(here().messages()).isEqualTo(2);
        activity.flush();
        assertThat(stored().messages()).isEqualTo(2);
    }

    @Test
    void anAuthenticationIsActivityButNoMessage() {
        activity.seen("gw");
        assertThat(here().lastSeen()).isNotNull();
        assertThat(here().messages()).isZero();
    }

    @Test
    void connectionsAreCountedUpAndDownAndStoredForTheOtherNodes() {
        activity.connection("gw", true);
        activity.connection("gw", true);
        activity.connection("gw", false);
        assertThat(here().connections()).isEqualTo(1);
        assertThat(here().lastSeen()).isNotNull();
        try (Database otherDb = new Database(Database.Settings.embedded(dir))) {
            DeviceRepository there = new DeviceRepository(otherDb, Boxes.BOX);
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isZero();
            activity.flush();
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isEqualTo(1);
            activity.connection("gw", false);
            activity.connection("gw", false);
            assertThat(here().connections()).isZero();
            activity.flush();
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isZero();
        }
    }

    @Test
    void whatAFailedFlushCouldNotStoreIsStoredByTheNext() {
        activity.received("gw");
        activity.connection("gw", true);
        flaky.down = true;
        activity.flush();
        flaky.down = false;
        assertThat(stored().messages()).isZero();
        assertThat(here().messages()).isEqualTo(1);

        activity.flush();
        assertThat(stored().messages()).isEqualTo(1);
        try (Database otherDb = new Database(Database.Settings.embedded(dir))) {
            assertThat(new DeviceRepository(otherDb, Boxes.BOX).registered("gw").orElseThrow().connectionsElsewhere())
                    .isEqualTo(1);
        }
    }

    @Test
    void afterAResyncEveryConnectionCountIsStoredAgain() {
        activity.connection("gw", true);
        activity.flush();
        // The database took this node for gone and removed its connections.
        db.transaction("forgetting the node", c -> c.createStatement().executeUpdate(
                "DELETE FROM connections WHERE node_id = '" + db.nodeId() + "'"));
        try (Database otherDb = new Database(Database.Settings.embedded(dir))) {
            DeviceRepository there = new DeviceRepository(otherDb, Boxes.BOX);
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isZero();
            activity.flush();
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isZero();
            activity.recountConnections();
            activity.flush();
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isEqualTo(1);
        }
    }

    @Test
    void aForgottenDeviceLosesWhatWasNotStored() {
        activity.received("gw");
        activity.forget("gw");
        assertThat(here().messages()).isZero();
        activity.flush();
        assertThat(stored().messages()).isZero();
    }

    @Test
    void closingStoresWhatIsLeft() {
        activity.received("gw");
        activity.close();
        assertThat(stored().messages()).isEqualTo(1);
    }
}
