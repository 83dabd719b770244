/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.NewDevice;
import org.outpost.hub.storage.internal.Database;

class DeviceTreeTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private final List<DeviceEvents.ScopeChange> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.onScopeChange(changes::add);
    }

    @AfterEach
    void tearDown() {
        devices.deactivate();
        db.close();
    }

    @Test
    void aDeviceIsCreatedBelowAParentAndTheTreeIsListed() {
        devices.create("top");
        devices.create("mid", "top");
        devices.create("leaf-b", "mid");
        devices.create("leaf-a", "mid");

        assertThat(devices.device("leaf-a").orElseThrow().parentId()).isEqualTo("mid");
        assertThat(devices.device("top").orElseThrow().parentId()).isNull();
        assertThat(devices.children("top")).extracting(Device::id).containsExactly("mid");
        assertThat(devices.descendants("top")).extracting(Device::id).containsExactly("mid", "leaf-a", "leaf-b");
        assertThat(devices.ancestors("leaf-a")).containsExactly("mid", "top");
        assertThatThrownBy(() -> devices.children("nobody")).hasMessageContaining("nobody");
    }

    @Test
    void anUnknownParentItselfACycleOrATooDeepTreeIsRefusedSayingWhatToDo() {
        devices.create("a");
        assertThatThrownBy(() -> devices.create("x", "ghost")).hasMessage("no parent device 'ghost' is registered:"
                + " register the gateway first (hub:device-create ghost), or give another parent");
        assertThat(devices.device("x")).isEmpty();
        devices.create("b", "a");
        devices.create("c", "b");
        assertThatThrownBy(() -> devices.setParent("a", "a")).hasMessage("device 'a' cannot be its own parent: give"
                + " another device (a gateway) as --parent");
        assertThatThrownBy(() -> devices.setParent("a", "c")).hasMessage("device 'c' is below 'a' (its ancestors:"
                + " b < a): making it the parent of 'a' would make a cycle; move 'c' elsewhere first");
        assertThatThrownBy(() -> devices.setParent("nobody", "a")).hasMessageContaining("nobody");

        String parent = "c";
        for (int depth = 3; depth <= 8; depth++) {
            devices.create("d" + depth, parent);
            parent = "d" + depth;
        }
        assertThatThrownBy(() -> devices.create("d9", "d8")).hasMessage("below 'd8', device 'd9' (or a device below"
                + " it) would be 9 levels deep; at most 8 are allowed: give a parent nearer the top");
        devices.create("z");
        devices.create("z1", "z");
        // Moving z (with its child) below d7 would put z1 at depth 9.
        assertThatThrownBy(() -> devices.setParent("z", "d7")).hasMessageContaining("would be 9 levels deep");
        assertThat(devices.device("z").orElseThrow().parentId()).isNull();
    }

    @Test
    void aMoveTellsTheOldAndNewAncestorsWithAGrowingVersion() {
        devices.create("g1");
        devices.create("g2");
        devices.create("leaf", "g1");
        changes.clear();

        devices.setParent("leaf", "g2");
        devices.setParent("leaf", null);

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).gateways()).containsExactlyInAnyOrder("g1", "g2");
        assertThat(changes.get(1).gateways()).containsExactly("g2");
        assertThat(changes.get(1).version()).isGreaterThan(changes.get(0).version());
        assertThat(devices.device("leaf").orElseThrow().parentId()).isNull();
    }

    @Test
    void aChangeOfADescendantTellsEveryAncestor() {
        devices.create("top");
        devices.create("mid", "top");
        devices.create("leaf", "mid");
        changes.clear();

        devices.setEnabled("leaf", false);
        devices.rotateKey("leaf");
        devices.setEnabled("leaf", true);

        assertThat(changes).hasSize(3).allSatisfy(c -> assertThat(c.gateways()).containsExactly("mid", "top"));
        assertThat(changes).extracting(DeviceEvents.ScopeChange::version).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void deletingAParentLeavesItsChildrenWithoutOne() {
        devices.create("gw");
        devices.create("leaf", "gw");
        devices.create("up");
        devices.setParent("gw", "up");
        changes.clear();

        assertThat(devices.delete("gw")).isTrue();

        assertThat(devices.device("leaf").orElseThrow().parentId()).isNull();
        assertThat(changes).singleElement().satisfies(c -> assertThat(c.gateways()).containsExactly("up"));
    }

    @Test
    void anImportMayNameParentsRegisteredOrEarlierInIt() {
        devices.create("gw");
        devices.importDevices(List.of(new NewDevice("child-gw", null, null, "gw"), new NewDevice("leaf", null, null,
                "child-gw")));

        assertThat(devices.descendants("gw")).extracting(Device::id).containsExactly("child-gw", "leaf");
        assertThatThrownBy(() -> devices.importDevices(List.of(new NewDevice("x", null, null, "ghost"))))
                .hasMessageContaining("no parent device 'ghost'");
        assertThat(devices.device("x")).isEmpty();
    }

    @Test
    void theCachedAncestryIsForgottenWhenTheTreeChanges() {
        devices.create("g1");
        devices.create("g2");
        devices.create("leaf", "g1");
        assertThat(devices.isBelowCached("leaf", "g1")).isTrue();

        devices.setParent("leaf", "g2");

        assertThat(devices.isBelowCached("leaf", "g1")).isFalse();
        assertThat(devices.isBelowCached("leaf", "g2")).isTrue();
        assertThat(devices.isBelowCached("g2", "g2")).isFalse();
    }
}
