/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.RestartPolicy;

class ModuleConfigurationsTest {

    private static final String PID = "org.outpost.module.pump";

    private final FakeConfigurations fake = new FakeConfigurations();
    private final ModuleConfigurations configurations = new ModuleConfigurations(fake.admin());

    private static ModuleSpec pump(Map<String, String> env) {
        return Specs.module("pump", ModuleType.BUNDLE, DesiredStatus.RUNNING, RestartPolicy.ALWAYS, env);
    }

    @Test
    void theFrameworksAndFelixsKeysAreLeftOutOfTheComparison() {
        Hashtable<String, Object> stored = new Hashtable<>(Map.of("RATE", "5", "service.pid", PID,
                "felix.fileinstall.filename", "file:/etc/x.cfg"));

        assertThat(ModuleConfigurations.same(stored, Map.of("RATE", "5"))).isTrue();
        assertThat(ModuleConfigurations.same(stored, Map.of("RATE", "6"))).isFalse();
        assertThat(ModuleConfigurations.same(stored, Map.of("RATE", "5", "MODE", "fast"))).isFalse();
    }

    @Test
    void anUnchangedConfigurationIsNotWrittenAgainNorUndone() throws Exception {
        fake.stored.put(PID, new Hashtable<>(Map.of("RATE", "5", "felix.fileinstall.filename", "file:/etc/x.cfg")));
        UndoLog undo = new UndoLog();

        configurations.configure(pump(Map.of("RATE", "5")), pump(Map.of("RATE", "5")), null, undo);

        assertThat(fake.writes).isEmpty();
        assertThat(undo.isEmpty()).isTrue();
    }

    @Test
    void aChangedConfigurationIsRestoredOnRollbackAndANewOneDeleted() throws Exception {
        fake.stored.put(PID, new Hashtable<>(Map.of("RATE", "5", "threshold", 30L)));
        UndoLog undo = new UndoLog();

        configurations.configure(pump(Map.of("RATE", "5")), pump(Map.of("RATE", "9")), null, undo);
        assertThat(fake.stored.get(PID).get("RATE")).isEqualTo("9");
        assertThat(fake.stored.get(PID).get("threshold")).isEqualTo(30L);
        configurations.configure(null, Specs.module("valve", ModuleType.BUNDLE, DesiredStatus.RUNNING,
                RestartPolicy.ALWAYS, Map.of()), "{\"open\": true}", undo);
        assertThat(fake.stored.get("org.outpost.module.valve").get("open")).isEqualTo(true);

        undo.rollBack();
        assertThat(fake.stored.get(PID).get("RATE")).isEqualTo("5");
        assertThat(fake.stored).doesNotContainKey("org.outpost.module.valve");
    }
}
