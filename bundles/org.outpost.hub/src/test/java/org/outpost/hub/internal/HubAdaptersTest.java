/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.TwinLimits;

/** The hub's stores behind the IoT Hub server's SPIs: {@link HubTwins}, {@link HubCloudToDevice}, {@link DeviceConnections}. */
class HubAdaptersTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private TwinStore twinStore;
    private C2dStore c2dStore;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.create("gw");
        devices.create("other");
        twinStore = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        c2dStore = new C2dStore(db, devices, new C2dStore.Limits(Duration.ofHours(48), 50, Duration.ofMinutes(10)));
    }

    @AfterEach
    void tearDown() {
        c2dStore.deactivate();
        twinStore.deactivate();
        devices.deactivate();
        db.close();
    }

    @Test
    void anIdentitysTwinIsItsDevicesOrItsModulesAndDesiredPatchesAreHeardUntilClosed() {
        HubTwins twins = new HubTwins(twinStore);
        List<String> heard = new ArrayList<>();
        Subscription s = twins.onDesiredPatch((identity, version, patch) -> heard.add(identity + " " + version + " "
                + patch));

        long reported = twins.patchReported(Identity.module("gw", "pump"), "{\"rpm\": 5}").reportedVersion();
        twinStore.patchDesired("gw", "pump", "{\"speed\": 3}");
        s.close();
        twinStore.patchDesired("gw", null, "{\"speed\": 4}");

        assertThat(twins.twin(Identity.module("gw", "pump")).reported()).contains("\"rpm\":5");
        assertThat(twins.twin(Identity.module("gw", "pump")).reportedVersion()).isEqualTo(reported);
        assertThat(twins.twin(Identity.device("gw")).desired()).contains("\"speed\":4");
        assertThat(heard).containsExactly("gw/pump 2 {\"speed\":3,\"$version\":2}");
    }

    @Test
    void aDevicesMessagesComeInOrderWithTheirPropertiesAndGoWhenDelivered() {
        HubCloudToDevice messages = new HubCloudToDevice(c2dStore);
        List<String> arrived = new ArrayList<>();
        Subscription s = messages.onMessage(Identity.device("gw"), () -> arrived.add("gw"));
        Map<String, String> bag = new LinkedHashMap<>();
        bag.put("z", "1");
        bag.put("a b", "2&3");

        c2dStore.send("gw", "one".getBytes(), bag);
        c2dStore.send("other", "not for gw".getBytes(), Map.of());
        c2dStore.send("gw", "two".getBytes(), Map.of());
        List<CloudToDeviceMessage> waiting = messages.waiting(Identity.device("gw"), 0, 10);
        messages.delivered(Identity.device("gw"), waiting.get(0));
        s.close();
        c2dStore.send("gw", "three".getBytes(), Map.of());

        assertThat(waiting).extracting(m -> new String(m.body())).containsExactly("one", "two");
        assertThat(waiting.get(0).properties().keySet()).containsExactly("z", "a b", "$.mid");
        assertThat(waiting.get(0).properties()).containsEntry("a b", "2&3");
        assertThat(messages.waiting(Identity.device("gw"), 0, 10)).extracting(m -> new String(m.body()))
                .containsExactly("two", "three");
        assertThat(messages.waiting(Identity.device("gw"), waiting.get(1).seq(), 10)).hasSize(1);
        assertThat(arrived).containsExactly("gw", "gw");
    }

    @Test
    void aModulesConnectionCountsAsItsDevicesAndMarksTheModuleConnected() {
        ModuleStore modules = new ModuleStore(db, devices, Boxes.BOX);
        modules.put("gw", "pump", "g1", "p", "s");
        DeviceConnections connections = new DeviceConnections(devices, modules);

        connections.connected(Identity.device("gw"));
        connections.connected(Identity.module("gw", "pump"));
        assertThat(devices.device("gw").orElseThrow().connections()).isEqualTo(2);
        assertThat(modules.module("gw", "pump").orElseThrow().connected()).isTrue();
        connections.disconnected(Identity.module("gw", "pump"));
        connections.disconnected(Identity.device("gw"));

        assertThat(devices.device("gw").orElseThrow().connections()).isZero();
    }
}
