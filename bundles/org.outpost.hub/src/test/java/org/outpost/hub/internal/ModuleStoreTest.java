/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.internal.Database;
import org.outpost.iothub.spi.Identity;

class ModuleStoreTest {

    @TempDir
    Path dir;

    private Database db;
    /** The other hub nodes' events. */
    private final EventBus events = new EventBus();
    private DeviceStore devices;
    private ModuleStore modules;
    private final List<Identity> revoked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.create("gw");
        modules = new ModuleStore(new Shared(db, events), devices, Boxes.BOX);
        modules.onRevoked(revoked::add);
    }

    @AfterEach
    void tearDown() {
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    @Test
    void registeredIdentitiesAreListedWithoutKeysAndTheirKeysAreAskedForApart() {
        modules.put("gw", "pump", "g1", "p1", "s1");

        List<ModuleIdentity> listed = modules.modules("gw");

        assertThat(listed).singleElement().satisfies(m -> {
            assertThat(m.moduleId()).isEqualTo("pump");
            assertThat(m.generationId()).isEqualTo("g1");
            assertThat(m.managedBy()).isEqualTo("$edgeAgent");
            assertThat(m.connected()).isFalse();
        });
        assertThat(modules.keys("gw", "pump")).contains(new ModuleRegistry.Keys("p1", "s1"));
        assertThat(modules.keys("gw", "pump").orElseThrow().toString()).doesNotContain("p1");
        assertThat(modules.verify("gw", "pump", "s1")).isTrue();
        assertThat(modules.verify("gw", "pump", "p2")).isFalse();
        assertThat(modules.module("gw", "other")).isEmpty();
        assertThatThrownBy(() -> modules.modules("nobody")).hasMessage("no device 'nobody'");
    }

    @Test
    void aModuleConnectedHereIsConnectedAndOneOfADeviceConnectedElsewhereIsNotKnown() {
        modules.put("gw", "pump", "g1", "p1", "s1");

        modules.connection(Identity.module("gw", "pump"), true);
        assertThat(modules.module("gw", "pump").orElseThrow().connected()).isTrue();
        modules.connection(Identity.module("gw", "pump"), false);
        assertThat(modules.module("gw", "pump").orElseThrow().connected()).isFalse();
        db.transaction("another node holding a connection of gw", c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO hub_nodes (id, started_ms, seen_ms) VALUES ('other', 0, "
                        + System.currentTimeMillis() + ")");
                return s.executeUpdate("INSERT INTO connections (node_id, device_id, open_count) VALUES ('other',"
                        + " 'gw', 1)");
            }
        });
        assertThat(modules.modules("gw")).singleElement().extracting(ModuleIdentity::connected).isNull();
    }

    @Test
    void aReplacedOrDeletedIdentityIsRevokedHereAndAtTheOtherNodesButAnUnchangedOneIsNot() {
        modules.put("gw", "pump", "g1", "p1", "s1");
        modules.put("gw", "pump", "g1", "p1", "s1");
        assertThat(revoked).isEmpty();

        modules.put("gw", "pump", "g2", "p2", "s2");
        modules.delete("gw", "pump");
        modules.delete("gw", "pump");

        assertThat(revoked).containsExactly(Identity.module("gw", "pump"), Identity.module("gw", "pump"));
        assertThat(events.published).containsExactly("module-revoked gw/pump", "module-revoked gw/pump");
    }

    @Test
    void anotherNodesRevocationIsHeardHere() {
        events.fromAnotherNode(ModuleStore.REVOKED, "gw/filter");

        assertThat(revoked).containsExactly(Identity.module("gw", "filter"));
    }

    /** The real database for transactions, the event bus for events. */
    private record Shared(HubDatabase db, EventBus events) implements HubDatabase {
        @Override
        public <T> T transaction(String what, Work<T> work) {
            return db.transaction(what, work);
        }

        @Override
        public String nodeId() {
            return db.nodeId();
        }

        @Override
        public String product() {
            return db.product();
        }

        @Override
        public void publish(String topic, String data) {
            events.publish(topic, data);
        }

        @Override
        public Runnable subscribe(String topic, Consumer<String> listener) {
            return events.subscribe(topic, listener);
        }

        @Override
        public Runnable onResync(Runnable listener) {
            return events.onResync(listener);
        }
    }
}
