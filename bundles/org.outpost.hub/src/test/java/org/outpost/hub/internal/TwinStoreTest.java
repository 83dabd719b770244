/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;

class TwinStoreTest {

    @TempDir
    Path dir;

    private DeviceStore devices;
    private TwinStore twins;
    private final List<String> heard = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        devices = new DeviceStore(dir.resolve("devices.properties"));
        devices.create("gw1");
        twins = new TwinStore(dir.resolve("twins"), devices, TwinLimits.IOT_HUB);
        twins.addListener((d, m, patch, twin) -> heard.add(d + "/" + m + " " + patch));
    }

    @Test
    void desiredChangesAreStoredVersionedAndAnnouncedWithTheirPatch() {
        assertThat(twins.twin("gw1", null).desiredVersion()).isEqualTo(1);
        twins.patchDesired("gw1", "pump", "{\"speed\": 3}");
        twins.patchDesired("gw1", "pump", "{\"speed\": 4, \"mode\": \"eco\"}");
        assertThat(heard).containsExactly("gw1/pump {\"speed\":3,\"$version\":2}",
                "gw1/pump {\"speed\":4,\"mode\":\"eco\",\"$version\":3}");

        // A new store over the same files (a hub restart) reads the same twins.
        TwinStore again = new TwinStore(dir.resolve("twins"), devices, TwinLimits.IOT_HUB);
        assertThat(again.twin("gw1", "pump").desired()).isEqualTo("{\"speed\":4,\"mode\":\"eco\",\"$version\":3}");
        assertThat(again.twin("gw1", null).desiredVersion()).isEqualTo(1);
        assertThat(dir.resolve("twins").resolve("gw1").resolve("pump.json")).exists();
    }

    @Test
    void reportedPatchesDoNotAnnounceAndARefusedPatchChangesNothing() throws Exception {
        twins.patchReported("gw1", "$edgeAgent", "{\"lastDesiredVersion\": 3}");
        assertThat(heard).isEmpty();
        String before = Files.readString(dir.resolve("twins").resolve("gw1").resolve("$edgeAgent.json"));
        assertThatThrownBy(() -> twins.patchReported("gw1", "$edgeAgent", "{\"bad key\": 1}")).isInstanceOf(
                TwinException.class).hasMessageContaining("reported.bad key");
        assertThat(Files.readString(dir.resolve("twins").resolve("gw1").resolve("$edgeAgent.json"))).isEqualTo(before);
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
        assertThat(dir.resolve("twins").resolve("gw1")).doesNotExist();
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
}
