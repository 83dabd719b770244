/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinLimits;

/** A page of devices is read in a fixed number of statements, however many devices it has (no N+1). */
class BatchReadsTest {

    @TempDir
    Path dir;

    private Database real;
    private CountingDatabase db;
    private TwinRepository twins;
    private DeploymentRepository deployments;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void open() {
        real = new Database(Database.Settings.embedded(dir));
        db = new CountingDatabase(real);
        twins = new TwinRepository(db);
        deployments = new DeploymentRepository(db);
        DeviceRepository devices = new DeviceRepository(db, Boxes.BOX);
        for (int i = 0; i < 1200; i++) {
            String id = String.format("gw-%04d", i);
            ids.add(id);
            devices.insert(id, Instant.now(), new DeviceKeys.Hashed(new byte[] {1}, new byte[] {2}, "k"), null);
            if (i % 2 == 0) {
                twins.changeTags(id, t -> t.put("site", "plant-1"));
                twins.change(id, "$edgeAgent", t -> t.patchReported("{\"lastDesiredStatus\": {\"code\": 200}}",
                        TwinLimits.IOT_HUB));
                deployments.storeApplied(id, new DeploymentRepository.Applied(new EffectiveDesired(Optional.of(
                        "base-1"), List.of("layer-1"), Map.of()), Set.of("$edgeAgent"), null));
            }
        }
    }

    @AfterEach
    void close() {
        real.close();
    }

    private int statements(IntSupplier read) {
        int before = db.statements.get();
        read.getAsInt();
        return db.statements.get() - before;
    }

    @Test
    void aPageOfAHundredDevicesTakesAsManyStatementsAsAPageOfOne() {
        List<String> one = ids.subList(0, 1);
        List<String> hundred = ids.subList(0, 100);
        assertThat(statements(() -> twins.tags(hundred).size())).isEqualTo(statements(() -> twins.tags(one).size()))
                .isEqualTo(1);
        assertThat(statements(() -> twins.twins(hundred, "$edgeAgent").size())).isEqualTo(statements(() -> twins
                .twins(one, "$edgeAgent").size())).isEqualTo(1);
        assertThat(statements(() -> deployments.applied(hundred).size())).isEqualTo(statements(() -> deployments
                .applied(one).size())).isEqualTo(1);
    }

    @Test
    void moreIdsThanAChunkTakeOneStatementPerChunk() {
        assertThat(statements(() -> twins.tags(ids).size())).isEqualTo(3);
        assertThat(twins.tags(ids)).hasSize(1200);
    }

    @Test
    void batchReadsGiveWhatTheSingleReadsGive() {
        List<String> page = List.of("gw-0000", "gw-0001", "nobody");

        assertThat(twins.tags(page)).containsOnlyKeys("gw-0000", "gw-0001").hasEntrySatisfying("gw-0000",
                t -> assertThat(t).isEqualTo(twins.tags("gw-0000")));
        assertThat(twins.twins(page, "$edgeAgent")).containsOnlyKeys("gw-0000", "gw-0001")
                .hasEntrySatisfying("gw-0000", t -> assertThat(t.toJson()).isEqualTo(twins.twin("gw-0000",
                        "$edgeAgent").toJson()))
                .hasEntrySatisfying("gw-0001", t -> assertThat(t.toJson()).isEqualTo(twins.twin("gw-0001",
                        "$edgeAgent").toJson()));
        assertThat(deployments.applied(page)).containsOnlyKeys("gw-0000").hasEntrySatisfying("gw-0000",
                a -> assertThat(a.effective().layers()).containsExactly("layer-1"));
    }
}
