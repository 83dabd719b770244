/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.hub.internal.TestDeployments.base;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.hub.storage.internal.Database;

class DeploymentRepositoryTest {

    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Database db;
    private DeploymentRepository repository;

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir));
        repository = new DeploymentRepository(db);
        new DeviceRepository(db, Boxes.BOX).insert("gw", CREATED, new DeviceKeys.Hashed(new byte[] {1},
                new byte[] {2}, "k"), null);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private HubDeployment create(String json) {
        HubDeployment d = HubDeployment.parse(json, CREATED);
        repository.insert(d, json, CREATED);
        return d;
    }

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static DeploymentRepository.Applied applied(String base, List<String> layers, Set<String> identities,
            String error) {
        return new DeploymentRepository.Applied(new EffectiveDesired(Optional.ofNullable(base), layers,
                java.util.Map.of()), identities, error);
    }

    @Test
    void aCreatedDeploymentLoadsWithItsCreationTime() {
        create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        HubDeployment loaded = repository.loadAll().get("plant-1");
        assertThat(loaded.priority()).isEqualTo(10);
        assertThat(loaded.createdTimeUtc()).isEqualTo(CREATED);
        assertThat(loaded.targetCondition().toString()).isEqualTo("tags.site = 'plant-1'");
    }

    @Test
    void anIdIsTakenOnlyOnce() {
        create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        assertThatThrownBy(() -> create(base("plant-1", 11, "tags.site = 'plant-2'", "x")))
                .isInstanceOf(DeploymentException.class).hasMessageStartingWith("id: a deployment 'plant-1' exists");
        assertThat(repository.loadAll().get("plant-1").priority()).isEqualTo(10);
    }

    @Test
    void aDamagedRowIsSkippedAndTheOthersLoad() {
        create(base("good", 1, "deviceId = 'gw'", "filter"));
        db.transaction("damaging", c -> c.createStatement().executeUpdate("INSERT INTO deployments (id, created_ms,"
                + " document) VALUES ('bad', 0, '{\"id\": \"bad\"')"));
        assertThat(repository.loadAll()).containsOnlyKeys("good");
    }

    @Test
    void anUpdateIsCheckedWholeAndKeepsTheCreationTime() throws Exception {
        create(base("rollout", 10, "deviceId = 'gw'", "filter"));
        HubDeployment changed = repository.update("rollout", object("{\"priority\": 20}"), Optional.empty());
        assertThat(changed.priority()).isEqualTo(20);
        assertThat(changed.createdTimeUtc()).isEqualTo(CREATED);
        assertThat(repository.loadAll().get("rollout").priority()).isEqualTo(20);

        Instant known = CREATED.plusSeconds(1);
        assertThat(repository.update("rollout", object("{\"priority\": 21}"), Optional.of(known)).createdTimeUtc())
                .isEqualTo(known);

        assertThatThrownBy(() -> repository.update("rollout", object("{\"targetCondition\": \"tags.env =\"}"),
                Optional.empty())).hasMessageStartingWith("targetCondition: column");
        assertThat(repository.loadAll().get("rollout").targetCondition().toString()).isEqualTo("deviceId = 'gw'");
        assertThatThrownBy(() -> repository.update("none", object("{\"priority\": 1}"), Optional.empty()))
                .isInstanceOf(DeploymentException.class).hasMessage("id: no deployment 'none' (see hub:deployments)");
    }

    @Test
    void aDeletionSaysWhetherThereWasOne() {
        create(base("plant-1", 10, "tags.site = 'plant-1'", "filter"));
        assertThat(repository.delete("plant-1")).isTrue();
        assertThat(repository.delete("plant-1")).isFalse();
        assertThat(repository.loadAll()).isEmpty();
    }

    @Test
    void whatWasAppliedIsKeptPerDeviceAndReplaced() {
        assertThat(repository.applied("gw")).isEmpty();
        repository.storeApplied("gw", applied("base-1", List.of("layer-b", "layer-a"), Set.of("$edgeAgent", "x"),
                null));
        DeploymentRepository.Applied first = repository.applied("gw").orElseThrow();
        assertThat(first.effective().base()).contains("base-1");
        assertThat(first.effective().layers()).containsExactly("layer-b", "layer-a");
        assertThat(first.identities()).containsExactly("$edgeAgent", "x");
        assertThat(first.error()).isNull();

        repository.storeApplied("gw", applied(null, List.of(), Set.of(), "over a limit"));
        assertThat(repository.allApplied()).containsOnlyKeys("gw");
        assertThat(repository.applied("gw").orElseThrow()).satisfies(a -> {
            assertThat(a.effective().base()).isEmpty();
            assertThat(a.error()).isEqualTo("over a limit");
        });
    }

    @Test
    void nothingIsKeptForADeviceThatIsNotRegistered() {
        repository.storeApplied("ghost", applied("base-1", List.of(), Set.of(), null));
        assertThat(repository.applied("ghost")).isEmpty();
    }

    @Test
    void aDamagedAppliedRowCountsAsNothingApplied() {
        repository.storeApplied("gw", applied("base-1", List.of(), Set.of(), null));
        db.transaction("damaging", c -> c.createStatement().executeUpdate("UPDATE applied SET layers = '[oops'"));
        assertThat(repository.applied("gw")).isEmpty();
        assertThat(repository.allApplied()).isEmpty();
    }
}
