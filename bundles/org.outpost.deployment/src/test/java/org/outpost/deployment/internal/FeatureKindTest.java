/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class FeatureKindTest {

    private final FeatureKind kind = new FeatureKind(null, null);

    @Test
    void withoutKarafsFeatureServiceAFeatureDeploymentIsRefused() throws Exception {
        ModuleSpec sensor = running("sensor", ModuleType.FEATURE);
        UndoLog undo = new UndoLog();

        assertThat(kind.prepare(List.of(sensor), deployment(null, sensor), undo)).isEqualTo("400 modulesContent"
                + ".$edgeAgent.properties.desired.modules.sensor: feature modules need Karaf's feature service,"
                + " which is not running");
        assertThat(undo.isEmpty()).isTrue();
        assertThatThrownBy(() -> kind.install(sensor)).hasMessage("Karaf's feature service is not running");
    }

    @Test
    void featureModulesCannotBeStoppedAndStartedYet() {
        assertThatThrownBy(() -> kind.setRunning(running("sensor", ModuleType.FEATURE), false))
                .hasMessage("module sensor: only bundle modules can be stopped and started yet");
    }

    @Test
    void aFeatureIsNamedWithItsVersionWhenTheManifestGivesOne() {
        ModuleSpec s = running("sensor", ModuleType.FEATURE);
        ModuleSpec versioned = new ModuleSpec(s.name(), s.type(), s.declaredType(), s.version(), s.status(),
                s.restartPolicy(), 0, s.env(), null, "acme-sensor", "1.2.0", List.of(), null, null, s.configPid(),
                null);

        assertThat(FeatureKind.featureId(s)).isEqualTo("acme-sensor");
        assertThat(FeatureKind.featureId(versioned)).isEqualTo("acme-sensor/1.2.0");
    }
}
