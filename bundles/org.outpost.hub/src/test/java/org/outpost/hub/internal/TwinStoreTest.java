/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;

class TwinStoreTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private TwinStore twins;
    private final List<String> heard = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.create("gw1");
        twins = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        twins.addListener((d, m, patch, twin) -> heard.add(d + "/" + m + " " + patch));
    }

    @AfterEach
    void tearDown() {
        devices.deactivate();
        db.close();
    }

    @Test
    void desiredChangesAreStoredVersionedAndAnnouncedWithTheirPatch() {
        assertThat(twins.twin("gw1", null).desiredVersion()).isEqualTo(1);
        twins.patchDesired("gw1", "pump", "{\"speed\": 3}");
        twins.patchDesired("gw1", "pump", "{\"speed\": 4, \"mode\": \"eco\"}");
        assertThat(heard).containsExactly("gw1/pump {\"speed\":3,\"$version\":2}",
                "gw1/pump {\"speed\":4,\"mode\":\"eco\",\"$version\":3}");

        // The database opened again (a hub restart) holds the same twins.
        devices.deactivate();
        db.close();
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        TwinStore again = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        assertThat(again.twin("gw1", "pump").desired()).isEqualTo("{\"speed\":4,\"mode\":\"eco\",\"$version\":3}");
        assertThat(again.twin("gw1", null).desiredVersion()).isEqualTo(1);
    }

    @Test
    void reportedPatchesDoNotAnnounceAndARefusedPatchChangesNothing() throws Exception {
        twins.patchReported("gw1", "$edgeAgent", "{\"lastDesiredVersion\": 3}");
        assertThat(heard).isEmpty();
        String before = twins.twin("gw1", "$edgeAgent").toJson();
        assertThatThrownBy(() -> twins.patchReported("gw1", "$edgeAgent", "{\"bad key\": 1}")).isInstanceOf(
                TwinException.class).hasMessageContaining("reported.bad key");
        assertThat(twins.twin("gw1", "$edgeAgent").toJson()).isEqualTo(before);
        assertThat(twins.twin("gw1", "$edgeAgent").reportedVersion()).isEqualTo(2);
    }

    @Test
    void unknownDevicesAndBadModuleIdsAreRefused() {
        assertThatThrownBy(() -> twins.twin("ghost", null)).hasMessageContaining("no device 'ghost' is registered");
        assertThatThrownBy(() -> twins.patchDesired("gw1", "../etc", "{}")).hasMessageContaining(
                "module id '../etc' is not valid");
    }

    @Test
    void replacingDesiredAnnouncesTheWholeProperties() {
        twins.replaceDesired("gw1", "$edgeAgent", "{\"modules\": {\"a\": {\"type\": \"bundle\"}}}");
        assertThat(heard).containsExactly("gw1/$edgeAgent {\"modules\":{\"a\":{\"type\":\"bundle\"}},\"$version\":2}");
    }

    @Test
    void aDeletedDeviceTakesItsTwinsWithItAndARegisteredAgainIdStartsEmpty() {
        twins.patchDesired("gw1", null, "{\"a\": 1}");
        twins.patchReported("gw1", "$edgeAgent", "{\"b\": 2}");
        assertThat(devices.delete("gw1")).isTrue();
        assertThatThrownBy(() -> twins.twin("gw1", "$edgeAgent")).hasMessageContaining("no device 'gw1'");
        devices.create("gw1");
        assertThat(twins.twin("gw1", null).desired()).isEqualTo("{\"$version\":1}");
        assertThat(twins.twin("gw1", "$edgeAgent").reported()).isEqualTo("{\"$version\":1}");
    }

    @Test
    void aQueryFindsTheDevicesWhoseTwinMatches() {
        devices.create("gw2");
        devices.create("gw3");
        twins.patchReported("gw1", null, "{\"firmware\": \"1.4\"}");
        twins.patchReported("gw2", null, "{\"firmware\": \"2.1\"}");
        twins.patchDesired("gw3", null, "{\"interval\": 5}");

        assertThat(twins.query(org.outpost.hub.query.Condition.parse("properties.reported.firmware < '2.0'")))
                .containsExactly("gw1");
        assertThat(twins.query(org.outpost.hub.query.Condition.parse("IS_DEFINED(properties.reported.firmware)"
                + " OR properties.desired.interval = 5"))).containsExactly("gw1", "gw2", "gw3");
        assertThat(twins.query(org.outpost.hub.query.Condition.parse("deviceId IN ['gw2', 'gw9']")))
                .containsExactly("gw2");
    }

    @Test
    void twoNodesWritingOneTwinLoseNoChangeAndNeverRepeatAVersion() throws Exception {
        // A second hub node over the same database; both patch the same desired properties at once.
        try (Database otherDb = new Database(Database.Settings.embedded(dir))) {
            DeviceStore otherDevices = new DeviceStore(otherDb, Boxes.BOX);
            TwinStore other = new TwinStore(otherDb, otherDevices, TwinLimits.IOT_HUB);
            try {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
                List<java.util.concurrent.Future<Long>> versions = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    TwinStore node = i % 2 == 0 ? twins : other;
                    String key = "k" + i;
                    versions.add(pool.submit(() -> node.patchDesired("gw1", "pump", "{\"" + key + "\": 1}")
                            .desiredVersion()));
                }
                java.util.Set<Long> seen = new java.util.TreeSet<>();
                for (java.util.concurrent.Future<Long> v : versions) {
                    seen.add(v.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                pool.shutdown();
                assertThat(seen).hasSize(40).first().isEqualTo(2L);
                String desired = other.twin("gw1", "pump").desired();
                for (int i = 0; i < 40; i++) {
                    assertThat(desired).contains("\"k" + i + "\":1");
                }
                assertThat(twins.twin("gw1", "pump").desiredVersion()).isEqualTo(41);
            } finally {
                otherDevices.deactivate();
            }
        }
    }
}
