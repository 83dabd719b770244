/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;

class DeployProgressTest {

    private static ModuleInfo module(String name, ModuleState state, String reason) {
        return new ModuleInfo(name, "container", state, -1, "1.0", true, 0, 0, reason);
    }

    @Test
    void theManifestsModulesAreItsEdgeAgentDesiredModules() {
        assertThat(DeployProgress.modules("{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"modules\":"
                + " {\"sensor\": {}, \"filter\": {}}}}}}")).containsExactly("sensor", "filter");
        assertThat(DeployProgress.modules("not json")).isEmpty();
    }

    @Test
    void eachChangeIsOneLineWithTheTimeAndHowManyRunAndQuietSpellsSayWhatIsAwaited() {
        DeployProgress p = new DeployProgress(new java.util.LinkedHashSet<>(List.of("sensor", "filter")));

        assertThat(p.poll(List.of(module("sensor", ModuleState.PULLING, "pulling example/sensor:1 (output: )")),
                Duration.ofMillis(1200))).containsExactly("[  1.2 s] sensor: pulling: pulling example/sensor:1 (output:"
                        + " ) (0/2 modules running)");
        assertThat(p.poll(List.of(module("sensor", ModuleState.PULLING, "pulling example/sensor:1 (output: )")),
                Duration.ofMillis(2000))).as("nothing changed").isEmpty();
        assertThat(p.poll(List.of(module("sensor", ModuleState.PULLING, "pulling example/sensor:1 (output: )")),
                Duration.ofMillis(6300))).containsExactly("[  6.3 s] still working: 0/2 modules running; sensor:"
                        + " pulling: pulling example/sensor:1 (output: ), filter: not started yet (installing)");
        assertThat(p.poll(List.of(module("sensor", ModuleState.RUNNING, ""), module("filter", ModuleState.RUNNING,
                ""), module("other", ModuleState.FAILED, "")), Duration.ofMillis(7000))).containsExactly(
                        "[  7.0 s] sensor: running (2/2 modules running)",
                        "[  7.0 s] filter: running (2/2 modules running)");
        assertThat(p.poll(List.of(module("sensor", ModuleState.RUNNING, ""), module("filter", ModuleState.RUNNING,
                "")), Duration.ofMillis(12500))).containsExactly("[ 12.5 s] still working: 2/2 modules running;"
                        + " checking that they keep running");
        assertThat(new DeployProgress(Set.of()).poll(List.of(), Duration.ofSeconds(1))).isEmpty();
    }
}
