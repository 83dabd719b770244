/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.hub.api.Device;
import org.outpost.hub.storage.internal.Database;

class DeviceStoreTest {

    @TempDir
    Path dir;

    private Database db;
    private final java.util.List<DeviceStore> stores = new java.util.ArrayList<>();

    /** @return the registry over the embedded database, opened again (as after a restart of the hub) */
    private DeviceStore open() {
        close();
        db = new Database(Database.Settings.embedded(dir));
        DeviceStore store = new DeviceStore(db, Boxes.BOX);
        stores.add(store);
        return store;
    }

    @AfterEach
    void close() {
        stores.forEach(DeviceStore::deactivate);
        stores.clear();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void keysVerifyOnlyForTheirDeviceAndSurviveARestart() throws Exception {
        DeviceStore store = open();
        String key = store.create("gw-1");
        store.create("gw-2");

        DeviceStore reloaded = open();
        assertThat(reloaded.verify("gw-1", key)).isTrue();
        assertThat(reloaded.verify("gw-2", key)).isFalse();
        assertThat(reloaded.verify("gw-1", key + "x")).isFalse();
        assertThat(reloaded.verify("nobody", key)).isFalse();
        assertThat(reloaded.devices()).extracting(Device::id).containsExactly("gw-1", "gw-2");
        // The key is kept to check SAS tokens with.
        assertThat(reloaded.key("gw-1")).contains(key);
        assertThat(reloaded.key("nobody")).isEmpty();
    }

    @Test
    void rotatingAKeyRevokesTheOldOne() throws Exception {
        DeviceStore store = open();
        String old = store.create("gw");
        String fresh = store.rotateKey("gw");

        assertThat(store.verify("gw", old)).isFalse();
        assertThat(store.verify("gw", fresh)).isTrue();
    }

    @Test
    void rejectsDuplicatesBadIdsAndUnknownDevices() throws Exception {
        DeviceStore store = open();
        store.create("gw");

        assertThatThrownBy(() -> store.create("gw")).hasMessageContaining("already registered");
        assertThatThrownBy(() -> store.create("a/b")).hasMessageContaining("device id 'a/b' is not valid");
        assertThatThrownBy(() -> store.rotateKey("none")).hasMessage("no device 'none'");
        assertThat(store.delete("gw")).isTrue();
        assertThat(store.delete("gw")).isFalse();
        assertThat(store.device("gw")).isEmpty();
    }

    @Test
    void countsTelemetry() throws Exception {
        DeviceStore store = open();
        store.create("gw");
        store.received("gw");
        store.received("gw");

        assertThat(store.device("gw")).hasValueSatisfying(d -> {
            assertThat(d.messages()).isEqualTo(2);
            assertThat(d.lastSeen()).isNotNull();
        });
    }

    @Test
    void authenticatorTakesTheDeviceIdFromIotHubUserNames() {
        assertThat(DeviceAuthenticator.deviceId("gw-1")).isEqualTo("gw-1");
        assertThat(DeviceAuthenticator.deviceId("hub.example/gw-1/?api-version=2020-09-30")).isEqualTo("gw-1");
        assertThat(DeviceAuthenticator.moduleId("hub.example/gw-1/?api-version=2020-09-30")).isNull();
        assertThat(DeviceAuthenticator.moduleId("gw-1")).isNull();
        assertThat(DeviceAuthenticator.deviceId("hub.example/gw-1/pump/?api-version=2020-09-30")).isEqualTo("gw-1");
        assertThat(DeviceAuthenticator.moduleId("hub.example/gw-1/pump/?api-version=2020-09-30")).isEqualTo("pump");
    }

    @Test
    void theBrokerLetsAModuleInWithItsOwnKeyOnlyAndOnlyToItsOwnTopics() {
        DeviceStore store = open();
        String deviceKey = store.create("gw");
        ModuleStore modules = new ModuleStore(db, store, Boxes.BOX);
        modules.put("gw", "pump", "g1", "pump-key", "pump-key-2");
        DeviceAuthenticator broker = new DeviceAuthenticator(store, modules);
        String pumpUser = "hub.example/gw/pump/?api-version=2021-04-12";

        assertThat(broker.authenticate(pumpUser, "pump-key", "test")).contains("gw/pump");
        assertThat(broker.authenticate(pumpUser, deviceKey, "test")).isEmpty();
        assertThat(broker.authenticate("hub.example/gw/filter/?api-version=2021-04-12", deviceKey, "test")).isEmpty();
        assertThat(broker.authenticate("hub.example/gw/$edgeAgent/?api-version=2021-04-12", deviceKey, "test"))
                .contains("gw");
        assertThat(broker.authorize("gw/pump", BrokerAuthenticator.Action.SEND,
                "devices.gw.modules.pump.messages.events")).isTrue();
        assertThat(broker.authorize("gw/pump", BrokerAuthenticator.Action.SEND, "devices.gw.messages.events"))
                .isFalse();
        assertThat(broker.authorize("gw/pump", BrokerAuthenticator.Action.SEND,
                "devices.gw.modules.filter.messages.events")).isFalse();
        assertThat(broker.authorize("gw", BrokerAuthenticator.Action.SEND, "devices.gw.modules.pump.messages.events"))
                .isTrue();
    }

    @Test
    void aThumbprintIsNormalisedKeptAcrossKeyRotationAndRestartsAndABadOneChangesNothing() throws Exception {
        DeviceStore store = open();
        store.create("cam-1");
        String sha256 = "ab:cd".repeat(16).replace("ab:cdab", "ab:cd:ab");
        store.setThumbprint("cam-1", sha256);
        store.rotateKey("cam-1");

        DeviceStore reloaded = open();
        assertThat(reloaded.thumbprint("cam-1")).contains("ABCD".repeat(16));
        assertThatThrownBy(() -> reloaded.setThumbprint("cam-1", "not-hex"))
                .hasMessageStartingWith("'not-hex' is not a certificate thumbprint");
        assertThatThrownBy(() -> reloaded.setThumbprint("nobody", "AB".repeat(20))).hasMessage("no device 'nobody'");
        DeviceStore again = open();
        assertThat(again.thumbprint("cam-1")).contains("ABCD".repeat(16));
        again.setThumbprint("cam-1", null);
        assertThat(open().thumbprint("cam-1")).isEmpty();
    }

    @Test
    void theSecondaryKeyWorksBesideThePrimarySoThatKeysRotateWithoutDowntime() throws Exception {
        DeviceStore store = open();
        String primary = store.create("gw");
        assertThat(store.device("gw").orElseThrow().secondaryKey()).isFalse();
        String secondary = store.rotateKey("gw", true);
        assertThat(store.verify("gw", primary)).isTrue();
        assertThat(store.verify("gw", secondary)).isTrue();
        // The device moves to the secondary; the primary is rotated; the secondary still works.
        String newPrimary = store.rotateKey("gw");
        assertThat(store.verify("gw", primary)).isFalse();
        DeviceStore reloaded = open();
        assertThat(reloaded.verify("gw", secondary)).isTrue();
        assertThat(reloaded.verify("gw", newPrimary)).isTrue();
        assertThat(reloaded.secondaryKey("gw")).contains(secondary);
        assertThat(reloaded.device("gw").orElseThrow().secondaryKey()).isTrue();
    }

    @Test
    void aDisabledDeviceIsKeptAndHeardOfAndSurvivesARestart() throws Exception {
        DeviceStore store = open();
        String key = store.create("gw");
        java.util.List<String> disabled = new java.util.ArrayList<>();
        store.onDisable(disabled::add);
        store.setEnabled("gw", false);
        store.setEnabled("gw", false);
        assertThat(disabled).containsExactly("gw");
        assertThat(store.enabled("gw")).isFalse();
        DeviceStore reloaded = open();
        assertThat(reloaded.device("gw").orElseThrow().enabled()).isFalse();
        assertThat(reloaded.verify("gw", key)).isTrue();
        reloaded.setEnabled("gw", true);
        DeviceStore again = open();
        assertThat(again.enabled("gw")).isTrue();
        assertThatThrownBy(() -> again.setEnabled("none", true)).hasMessage("no device 'none'");
    }

    @Test
    void connectionsAreCountedPerDevice() throws Exception {
        DeviceStore store = open();
        store.create("gw");
        store.connection("gw", true);
        store.connection("gw", true);
        assertThat(store.device("gw").orElseThrow().connectionState()).isEqualTo("connected");
        store.connection("gw", false);
        assertThat(store.device("gw").orElseThrow().connections()).isEqualTo(1);
        store.connection("gw", false);
        assertThat(store.device("gw").orElseThrow().connectionState()).isEqualTo("disconnected");
    }

    @Test
    void anImportRegistersAllOrNothing() throws Exception {
        DeviceStore store = open();
        store.create("gw-0");
        String given = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        java.util.List<String> heard = new java.util.ArrayList<>();
        store.onCreate(heard::add);
        assertThatThrownBy(() -> store.importDevices(java.util.List.of(new org.outpost.hub.api.NewDevice("gw-1",
                given, null), new org.outpost.hub.api.NewDevice("gw-2", "c2hvcnQ=", null))))
                .hasMessage("device 2 ('gw-2'): primaryKey: 5 bytes; a key has 16 to 64 (as IoT Hub's)");
        assertThatThrownBy(() -> store.importDevices(java.util.List.of(new org.outpost.hub.api.NewDevice("gw-1",
                null, null), new org.outpost.hub.api.NewDevice("gw-0", null, null))))
                .hasMessage("device 2 ('gw-0'): already registered");
        assertThat(store.devices()).extracting(org.outpost.hub.api.Device::id).containsExactly("gw-0");
        assertThat(heard).isEmpty();

        java.util.Map<String, String> keys = store.importDevices(java.util.List.of(
                new org.outpost.hub.api.NewDevice("gw-1", given, null),
                new org.outpost.hub.api.NewDevice("gw-2", null, given)));
        assertThat(keys).containsEntry("gw-1", given).containsKey("gw-2");
        assertThat(heard).containsExactly("gw-1", "gw-2");
        DeviceStore reloaded = open();
        assertThat(reloaded.verify("gw-1", given)).isTrue();
        assertThat(reloaded.verify("gw-2", keys.get("gw-2"))).isTrue();
        assertThat(reloaded.verify("gw-2", given)).isTrue();
    }

    @Test
    void anotherNodeSeesTheRegistryAtOnceAndActivityOnceItIsFlushed() {
        DeviceStore here = open();
        String key = here.create("gw");
        // A second hub node over the same database.
        try (Database otherDb = new Database(Database.Settings.embedded(dir))) {
            DeviceStore there = new DeviceStore(otherDb, Boxes.BOX);
            try {
                assertThat(there.verify("gw", key)).isTrue();
                here.connection("gw", true);
                here.received("gw");
                assertThat(there.device("gw").orElseThrow().connections()).isZero();
                here.flush();
                assertThat(there.device("gw").orElseThrow()).satisfies(d -> {
                    assertThat(d.connections()).isEqualTo(1);
                    assertThat(d.messages()).isEqualTo(1);
                    assertThat(d.lastSeen()).isNotNull();
                });
                there.connection("gw", true);
                there.flush();
                assertThat(here.device("gw").orElseThrow().connections()).isEqualTo(2);
                assertThat(here.devices()).singleElement().extracting(Device::connections).isEqualTo(2);
                // Disabled through one node: the other refuses it too.
                there.setEnabled("gw", false);
                assertThat(here.enabled("gw")).isFalse();
            } finally {
                there.deactivate();
            }
        }
        // The other node left: its connections are not counted any more.
        assertThat(here.device("gw").orElseThrow().connections()).isEqualTo(1);
    }
}
