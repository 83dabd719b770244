/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.StorageException;
import org.outpost.hub.storage.internal.Database;

class DeviceRepositoryTest {

    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    Path dir;

    private Database db;
    private DeviceRepository repository;
    // Keys long enough that a sealed value (random base64) cannot hold them by chance: with "k1" it did, 1 run in 100.
    private static final String PRIMARY = "primary-key-in-the-clear";
    private static final String SECONDARY = "secondary-key-in-the-clear";

    private final DeviceKeys.Hashed key = new DeviceKeys.Hashed(new byte[] {1, 2, 3}, new byte[] {4, 5, 6}, PRIMARY);

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir));
        repository = new DeviceRepository(db, Boxes.BOX);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aRegisteredDeviceReadsBackAsWritten() {
        repository.insert("gw", CREATED, key, SECONDARY);
        DeviceRepository.Row row = repository.find("gw").orElseThrow();
        assertThat(row.id()).isEqualTo("gw");
        assertThat(row.created()).isEqualTo(CREATED);
        assertThat(row.salt()).containsExactly(1, 2, 3);
        assertThat(row.hash()).containsExactly(4, 5, 6);
        assertThat(repository.key(row)).contains(PRIMARY);
        assertThat(repository.secondaryKey(row)).contains(SECONDARY);
        assertThat(row.sealedKey()).startsWith(SecretBox.PREFIX).doesNotContain(PRIMARY);
        assertThat(row.sealedSecondary()).startsWith(SecretBox.PREFIX).doesNotContain(SECONDARY);
        assertThat(row.thumbprint()).isNull();
        assertThat(row.disabled()).isFalse();
        assertThat(row.lastSeen()).isNull();
        assertThat(row.messages()).isZero();
        assertThat(repository.find("nobody")).isEmpty();
        assertThat(repository.registered("nobody")).isEmpty();
    }

    @Test
    void aSecondRegistrationOfAnIdIsAConflict() {
        repository.insert("gw", CREATED, key, null);
        assertThatThrownBy(() -> repository.insert("gw", CREATED, key, null)).isInstanceOf(StorageException.class)
                .matches(e -> ((StorageException) e).conflict());
    }

    @Test
    void devicesAreListedById() {
        repository.insert("b", CREATED, key, null);
        repository.insert("a", CREATED, key, null);
        assertThat(repository.all()).extracting(r -> r.row().id()).containsExactly("a", "b");
    }

    @Test
    void anImportWithOneTakenIdRegistersNoneAndSaysWhichInTheGivenOrder() {
        repository.insert("taken", CREATED, key, null);
        Map<String, DeviceKeys.Hashed> keys = new LinkedHashMap<>();
        keys.put("new-1", key);
        keys.put("taken", key);
        assertThatThrownBy(() -> repository.insertAll(keys, Map.of(), CREATED)).hasMessage(
                "device 2 ('taken'): already registered");
        assertThat(repository.find("new-1")).isEmpty();

        keys.remove("taken");
        keys.put("new-2", key);
        repository.insertAll(keys, Map.of("new-2", "second"), CREATED);
        assertThat(repository.find("new-1").orElseThrow().sealedSecondary()).isNull();
        assertThat(repository.secondaryKey(repository.find("new-2").orElseThrow())).contains("second");
    }

    @Test
    void anImportLargerThanOneLookupChecksEveryId() {
        repository.insert("d-700", CREATED, key, null);
        Map<String, DeviceKeys.Hashed> keys = new LinkedHashMap<>();
        for (int i = 0; i < 800; i++) {
            keys.put("d-" + i, key);
        }
        assertThatThrownBy(() -> repository.insertAll(keys, Map.of(), CREATED)).hasMessage(
                "device 701 ('d-700'): already registered");
    }

    @Test
    void changesToAnUnknownDeviceFindNothing() {
        assertThat(repository.setPrimaryKey("none", key)).isFalse();
        assertThat(repository.setSecondaryKey("none", "k")).isFalse();
        assertThat(repository.setThumbprint("none", "AB")).isFalse();
        assertThat(repository.setDisabled("none", true)).isFalse();
        assertThat(repository.delete("none")).isFalse();
    }

    @Test
    void keysAndThumbprintAreReplaced() {
        repository.insert("gw", CREATED, key, null);
        assertThat(repository.setPrimaryKey("gw", new DeviceKeys.Hashed(new byte[] {9}, new byte[] {8}, "k3")))
                .isTrue();
        assertThat(repository.setSecondaryKey("gw", "k4")).isTrue();
        assertThat(repository.setThumbprint("gw", "AB")).isTrue();
        DeviceRepository.Row row = repository.find("gw").orElseThrow();
        assertThat(row.salt()).containsExactly(9);
        assertThat(row.hash()).containsExactly(8);
        assertThat(repository.key(row)).contains("k3");
        assertThat(repository.secondaryKey(row)).contains("k4");
        assertThat(row.thumbprint()).isEqualTo("AB");
    }

    @Test
    void disablingChangesTheFlagOnlyOnce() {
        repository.insert("gw", CREATED, key, null);
        assertThat(repository.setDisabled("gw", true)).isTrue();
        assertThat(repository.setDisabled("gw", true)).isFalse();
        assertThat(repository.find("gw").orElseThrow().disabled()).isTrue();
        assertThat(repository.setDisabled("gw", false)).isTrue();
        assertThat(repository.find("gw").orElseThrow().disabled()).isFalse();
    }

    @Test
    void aDeletedDeviceIsGone() {
        repository.insert("gw", CREATED, key, null);
        assertThat(repository.delete("gw")).isTrue();
        assertThat(repository.find("gw")).isEmpty();
    }

    @Test
    void activityAddsMessagesAndNeverMovesTheLastActivityBack() {
        repository.insert("gw", CREATED, key, null);
        repository.addActivity(List.of(new DeviceRepository.ActivityDelta("gw", 3, 2000)));
        repository.addActivity(List.of(new DeviceRepository.ActivityDelta("gw", 2, 1000),
                new DeviceRepository.ActivityDelta("deleted-meanwhile", 1, 1000)));
        DeviceRepository.Row row = repository.find("gw").orElseThrow();
        assertThat(row.messages()).isEqualTo(5);
        assertThat(row.lastSeen()).isEqualTo(Instant.ofEpochMilli(2000));
    }

    @Test
    void connectionsAreCountedForTheOtherNodesOnlyAndAZeroCountRemovesThem() {
        repository.insert("gw", CREATED, key, null);
        repository.insert("quiet", CREATED, key, null);
        try (Database otherDb = new Database(Database.Settings.embedded(dir))) {
            DeviceRepository there = new DeviceRepository(otherDb, Boxes.BOX);
            repository.storeConnections(List.of("gw", "unknown"), id -> 2);
            assertThat(repository.registered("gw").orElseThrow().connectionsElsewhere()).isZero();
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isEqualTo(2);
            assertThat(there.all()).extracting(DeviceRepository.Registered::connectionsElsewhere)
                    .containsExactly(2, 0);

            there.storeConnections(List.of("gw"), id -> 1);
            assertThat(repository.registered("gw").orElseThrow().connectionsElsewhere()).isEqualTo(1);
            repository.storeConnections(List.of("gw"), id -> 0);
            assertThat(there.registered("gw").orElseThrow().connectionsElsewhere()).isZero();
        }
    }
}
