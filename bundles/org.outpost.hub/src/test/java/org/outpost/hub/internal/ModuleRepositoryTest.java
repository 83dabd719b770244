/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.StorageException;
import org.outpost.hub.storage.internal.Database;

class ModuleRepositoryTest {

    private static final Instant T1 = Instant.ofEpochMilli(1_700_000_000_000L);
    private static final Instant T2 = T1.plusSeconds(60);

    @TempDir
    Path dir;

    private Database db;
    private DeviceRepository devices;
    private ModuleRepository repository;

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceRepository(db, Boxes.BOX);
        devices.insert("gw", T1, new DeviceKeys.Hashed(new byte[] {1}, new byte[] {2}, "k"), null);
        repository = new ModuleRepository(db, Boxes.BOX);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static ModuleRepository.Row row(String module, String generation, String primary, Instant created) {
        return new ModuleRepository.Row("gw", module, generation, primary, "s-" + primary, created, "$edgeAgent");
    }

    @Test
    void aRegisteredModuleIdentityReadsBackAsWrittenAndIsListedByModule() {
        assertThat(repository.put(row("pump", "g1", "p1", T1))).isEqualTo(ModuleRepository.Change.CREATED);
        repository.put(row("filter", "g1", "p2", T1));

        assertThat(repository.find("gw", "pump")).contains(row("pump", "g1", "p1", T1));
        assertThat(repository.all("gw")).extracting(ModuleRepository.Row::moduleId).containsExactly("filter",
                "pump");
        assertThat(repository.find("gw", "nothing")).isEmpty();
        assertThat(repository.all("other")).isEmpty();
    }

    @Test
    void theSameIdentityAgainChangesNothingANewGenerationReplacesItAndNewKeysKeepItsCreationTime() {
        repository.put(row("pump", "g1", "p1", T1));

        assertThat(repository.put(row("pump", "g1", "p1", T2))).isEqualTo(ModuleRepository.Change.UNCHANGED);
        assertThat(repository.find("gw", "pump").orElseThrow().created()).isEqualTo(T1);
        assertThat(repository.put(row("pump", "g1", "p9", T2))).isEqualTo(ModuleRepository.Change.REPLACED);
        assertThat(repository.find("gw", "pump")).contains(row("pump", "g1", "p9", T1));
        assertThat(repository.put(row("pump", "g2", "p3", T2))).isEqualTo(ModuleRepository.Change.REPLACED);
        assertThat(repository.find("gw", "pump")).contains(row("pump", "g2", "p3", T2));
    }

    @Test
    void aDeletedIdentityIsGoneAndADeletedDeviceTakesItsIdentitiesWithIt() {
        repository.put(row("pump", "g1", "p1", T1));
        repository.put(row("filter", "g1", "p2", T1));

        assertThat(repository.delete("gw", "pump")).isTrue();
        assertThat(repository.delete("gw", "pump")).isFalse();
        assertThat(repository.all("gw")).extracting(ModuleRepository.Row::moduleId).containsExactly("filter");
        devices.delete("gw");
        assertThat(repository.all("gw")).isEmpty();
    }

    @Test
    void anIdentityOfAnUnregisteredDeviceIsRefused() {
        assertThatThrownBy(() -> repository.put(new ModuleRepository.Row("nobody", "pump", "g1", "p", "s", T1,
                "$edgeAgent"))).isInstanceOf(StorageException.class);
    }

    @Test
    void aRowNeverPrintsItsKeys() {
        assertThat(row("pump", "g1", "secret", T1).toString()).isEqualTo("Row[gw/pump, generation g1]");
    }
}
