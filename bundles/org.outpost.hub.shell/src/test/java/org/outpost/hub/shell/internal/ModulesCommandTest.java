/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ModuleRegistry;

class ModulesCommandTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final ModuleRegistry registry = new ModuleRegistry() {
        @Override
        public List<ModuleIdentity> modules(String deviceId) {
            return List.of(new ModuleIdentity(deviceId, "filter", "g1", CREATED, "$edgeAgent", true),
                    new ModuleIdentity(deviceId, "gone", "g1", CREATED, "$edgeAgent", null));
        }

        @Override
        public Optional<ModuleIdentity> module(String deviceId, String moduleId) {
            return Optional.empty();
        }

        @Override
        public Optional<Keys> keys(String deviceId, String moduleId) {
            return moduleId.equals("filter") ? Optional.of(new Keys("p1", "s1")) : Optional.empty();
        }
    };

    @Test
    void keysAreShownOnlyWhenAskedFor() {
        List<Map<String, Object>> plain = ModulesCommand.rows(registry.modules("gw"), registry, false);
        List<Map<String, Object>> withKeys = ModulesCommand.rows(registry.modules("gw"), registry, true);

        assertThat(plain).hasSize(2).allSatisfy(r -> assertThat(r).doesNotContainKeys("primaryKey",
                "secondaryKey"));
        assertThat(plain.get(0)).containsEntry("moduleId", "filter").containsEntry("generationId", "g1")
                .containsEntry("connected", true).containsEntry("managedBy", "$edgeAgent");
        // An identity deleted while listing has no keys to show: it is left out.
        assertThat(withKeys).singleElement().satisfies(r -> assertThat(r).containsEntry("primaryKey", "p1")
                .containsEntry("secondaryKey", "s1"));
    }

    @Test
    void connectedIsYesNoOrUnknown() {
        assertThat(ModulesCommand.connected(true)).isEqualTo("yes");
        assertThat(ModulesCommand.connected(false)).isEqualTo("no");
        assertThat(ModulesCommand.connected(null)).isEqualTo("?");
    }
}
