/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

class TwinRepositoryTest {

    @TempDir
    Path dir;

    private Database db;
    private TwinRepository repository;
    /** Another node's writes, in transactions of their own. */
    private TwinRepository other;

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir));
        repository = new TwinRepository(db);
        other = new TwinRepository(db);
        DeviceRepository devices = new DeviceRepository(db, Boxes.BOX);
        for (String id : new String[] {"gw1", "gw2"}) {
            devices.insert(id, Instant.now(), new DeviceKeys.Hashed(new byte[] {1}, new byte[] {2}, "k"), null);
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static TwinDocument patch(TwinDocument t, String json) {
        return t.patchDesired(json, TwinLimits.IOT_HUB);
    }

    @Test
    void aTwinNeverWrittenIsEmptyAtVersionOne() {
        TwinDocument t = repository.twin("gw1", "pump");
        assertThat(t.desired()).isEqualTo("{\"$version\":1}");
        assertThat(t.reportedVersion()).isEqualTo(1);
        assertThat(repository.tags("gw1").isEmpty()).isTrue();
    }

    @Test
    void aChangeIsStoredPerDeviceAndModule() {
        repository.change("gw1", "pump", t -> patch(t, "{\"speed\": 3}"));
        repository.change("gw1", null, t -> patch(t, "{\"own\": true}"));
        repository.change("gw1", "pump", t -> patch(t, "{\"mode\": \"eco\"}"));
        assertThat(repository.twin("gw1", "pump").desired()).isEqualTo(
                "{\"speed\":3,\"mode\":\"eco\",\"$version\":3}");
        assertThat(repository.twin("gw1", null).desired()).isEqualTo("{\"own\":true,\"$version\":2}");
        assertThat(repository.twin("gw2", "pump").desiredVersion()).isEqualTo(1);
        assertThat(repository.twins("pump")).containsOnlyKeys("gw1");
    }

    @Test
    void unknownDevicesAreRefused() {
        assertThatThrownBy(() -> repository.twin("ghost", null)).hasMessage(
                "no device 'ghost' is registered (see hub:devices)");
        assertThatThrownBy(() -> repository.change("ghost", "m", t -> t)).hasMessageContaining("no device 'ghost'");
        assertThatThrownBy(() -> repository.tags("ghost")).hasMessageContaining("no device 'ghost'");
        assertThatThrownBy(() -> repository.changeTags("ghost", t -> t)).hasMessageContaining("no device 'ghost'");
        assertThatThrownBy(() -> repository.conditionDocument("ghost")).hasMessageContaining("no device 'ghost'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "", "a b", "$",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aModuleIdMustBeOneToSixtyFourLettersDigitsDashesOrUnderscores(String moduleId) {
        assertThatThrownBy(() -> TwinRepository.module(moduleId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module id '" + moduleId + "' is not valid: use 1 to 64 letters, digits, '-' or '_' (or"
                        + " $edgeAgent, $edgeHub)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$edgeAgent", "pump-1", "a_b", "Z"})
    void validModuleIdsAreTheirOwnKey(String moduleId) {
        assertThat(TwinRepository.module(moduleId)).isEqualTo(moduleId);
        assertThat(TwinRepository.module(null)).isEmpty();
    }

    @Test
    void aChangeThatLostARaceIsAppliedAgainToTheNewerVersion() {
        repository.change("gw1", "pump", t -> patch(t, "{\"a\": 1}"));
        AtomicInteger tries = new AtomicInteger();
        TwinDocument after = repository.change("gw1", "pump", t -> {
            if (tries.incrementAndGet() == 1) {
                // Another node writes between this one's read and its write.
                other.change("gw1", "pump", o -> patch(o, "{\"b\": 2}"));
            }
            return patch(t, "{\"c\": 3}");
        });
        assertThat(tries).hasValue(2);
        assertThat(after.desired()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3,\"$version\":4}");
        assertThat(repository.twin("gw1", "pump")).isEqualTo(after);
    }

    @Test
    void twoFirstWritesOfATwinBothLand() {
        AtomicInteger tries = new AtomicInteger();
        TwinDocument after = repository.change("gw1", "new", t -> {
            if (tries.incrementAndGet() == 1) {
                other.change("gw1", "new", o -> patch(o, "{\"first\": 1}"));
            }
            return patch(t, "{\"second\": 2}");
        });
        assertThat(after.desired()).isEqualTo("{\"first\":1,\"second\":2,\"$version\":3}");
    }

    @Test
    void aChangeThatKeepsLosingGivesUpAndSaysSo() {
        repository.change("gw1", "pump", t -> patch(t, "{\"a\": 1}"));
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> repository.change("gw1", "pump", t -> {
            tries.incrementAndGet();
            other.change("gw1", "pump", o -> patch(o, "{\"b\": " + tries.get() + "}"));
            return patch(t, "{\"c\": 3}");
        })).isInstanceOf(IllegalStateException.class).hasMessage("storing the twin of gw1/pump: still changed by"
                + " other hub nodes after 20 tries; try again");
        assertThat(tries).hasValue(TwinRepository.TRIES);
    }

    @Test
    void tagsAreChangedOptimisticallyToo() {
        AtomicInteger tries = new AtomicInteger();
        repository.changeTags("gw1", t -> {
            if (tries.incrementAndGet() == 1) {
                other.changeTags("gw1", o -> o.put("site", "plant-1"));
            }
            return t.put("env", "prod");
        });
        assertThat(repository.tags("gw1").toString()).isEqualTo("{\"site\":\"plant-1\",\"env\":\"prod\"}");
    }

    @Test
    void conditionsSeeTheIdTheTagsAndTheDevicesOwnTwin() {
        repository.changeTags("gw1", t -> t.put("env", "prod"));
        repository.change("gw1", null, t -> t.patchReported("{\"fw\": \"1.4\"}", TwinLimits.IOT_HUB));
        repository.change("gw1", "pump", t -> patch(t, "{\"ignored\": true}"));
        String expected = "{\"deviceId\":\"gw1\",\"tags\":{\"env\":\"prod\"},\"properties\":{\"desired\":"
                + "{\"$version\":1},\"reported\":{\"fw\":\"1.4\",\"$version\":2}}}";
        assertThat(repository.conditionDocument("gw1").toString()).isEqualTo(expected);
        assertThat(repository.conditionDocuments()).containsOnlyKeys("gw1", "gw2");
        assertThat(repository.conditionDocuments().get("gw1").toString()).isEqualTo(expected);
        assertThat(repository.conditionDocuments().get("gw2").path("tags").isEmpty()).isTrue();
    }
}
