/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleOwner;
import org.outpost.api.runtime.ModuleState;

class ModuleOwnersTest {

    private final ModuleOwners owners = new ModuleOwners();

    private static ModuleOwner owner(Set<String> managed, ModuleInfo... own) {
        return new ModuleOwner() {
            @Override
            public boolean manages(String module) {
                return managed.contains(module);
            }

            @Override
            public List<ModuleInfo> ownModules() {
                return List.of(own);
            }
        };
    }

    private static ModuleInfo container(String name, String version) {
        return new ModuleInfo(name, "container", ModuleState.RUNNING, -1, version, true, 0, 0, "");
    }

    @Test
    void withoutOwnersEveryModuleIsUnmanagedAndNoneIsAdded() {
        assertThat(owners.manage("filter")).isFalse();
        assertThat(owners.ownModules(Set.of())).isEmpty();
    }

    @Test
    void aModuleIsManagedWhenAnyOwnerSaysSo() {
        owners.add(owner(Set.of("filter")));
        owners.add(owner(Set.of("cam")));

        assertThat(owners.manage("filter")).isTrue();
        assertThat(owners.manage("cam")).isTrue();
        assertThat(owners.manage("dropped-by-hand")).isFalse();
    }

    @Test
    void anOwnerThatGoesNoLongerAnswers() {
        ModuleOwner deployment = owner(Set.of("filter"), container("cam", "1"));
        owners.add(deployment);

        owners.remove(deployment);

        assertThat(owners.manage("filter")).isFalse();
        assertThat(owners.ownModules(Set.of())).isEmpty();
    }

    @Test
    void theOwnersModulesAreAddedOnceEachAndABundleOfTheSameNameWins() {
        owners.add(owner(Set.of(), container("cam", "1"), container("filter", "1")));
        owners.add(owner(Set.of(), container("cam", "2"), container("script", "1")));

        assertThat(owners.ownModules(Set.of("filter"))).extracting(ModuleInfo::name, ModuleInfo::version)
                .containsExactly(org.assertj.core.api.Assertions.tuple("cam", "1"),
                        org.assertj.core.api.Assertions.tuple("script", "1"));
    }
}
