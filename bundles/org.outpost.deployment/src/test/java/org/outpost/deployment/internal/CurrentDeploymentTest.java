/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.RestartPolicy;

class CurrentDeploymentTest {

    private final CurrentDeployment current = new CurrentDeployment(TestConfig.of(Map.of()));

    @Test
    void beforeTheDeploymentServiceLoadsItNoModuleIsDeployedOrManaged() {
        assertThat(current.get().modules()).isEmpty();
        assertThat(current.contains("filter")).isFalse();
        assertThat(current.manages("filter")).isFalse();
        assertThat(current.configurationPid("filter")).isEmpty();
        assertThat(current.ownModules()).isEmpty();
    }

    @Test
    void theRunningDeploymentsModulesAreManagedAndGiveTheirConfigurationPids() {
        ModuleSpec filter = new ModuleSpec("filter", ModuleType.BUNDLE, "bundle", "1.0", DesiredStatus.RUNNING,
                RestartPolicy.ALWAYS, 0, java.util.Map.of(), "mvn:org.acme/filter/1.0", null, null,
                java.util.List.of(), null, null, "org.example.filter", null);

        current.set(deployment(null, filter, running("sensor", ModuleType.BUNDLE)));

        assertThat(current.manages("filter")).isTrue();
        assertThat(current.contains("sensor")).isTrue();
        assertThat(current.manages("dropped-by-hand")).isFalse();
        assertThat(current.configurationPid("filter")).contains("org.example.filter");
        assertThat(current.configurationPid("sensor")).contains("org.outpost.module.sensor");
        assertThat(current.configurationPid("dropped-by-hand")).isEmpty();
    }

    @Test
    void aNewDeploymentReplacesTheOldOne() {
        current.set(deployment(null, running("old", ModuleType.BUNDLE)));

        current.set(deployment(null, running("new", ModuleType.CONTAINER)));

        assertThat(current.get().modules()).containsOnlyKeys("new");
        assertThat(current.manages("old")).isFalse();
        assertThat(current.configurationPid("old")).isEmpty();
    }

    @Test
    void whenTheDeploymentServiceStopsNobodyAnswersForAnyModule() {
        current.set(deployment(null, running("filter", ModuleType.BUNDLE)));

        current.clear();

        assertThat(current.manages("filter")).isFalse();
        assertThat(current.configurationPid("filter")).isEmpty();
        assertThat(current.get().modules()).isEmpty();
    }

    @Test
    void itToldWhetherAModuleMayHaveAConfigurationByTheDeploymentPolicysRule() {
        assertThat(current.configurationRefused("sneaky", "org.outpost.upstream")).hasValueSatisfying(why -> assertThat(
                why).contains("configuration of the gateway or its platform", "config.reserved.pids"));
        assertThat(current.configurationRefused("sneaky", "org.outpost.module.other")).hasValueSatisfying(why ->
                assertThat(why).contains("another module's configuration"));
        assertThat(current.configurationRefused("sensor", "org.outpost.samples.sensor")).isEmpty();
        assertThat(current.configurationRefused("sensor", "org.outpost.module.sensor.extra")).isEmpty();
        assertThat(new CurrentDeployment(TestConfig.of(Map.of("config.allowed.pids", "org.outpost.upstream")))
                .configurationRefused("sneaky", "org.outpost.upstream")).isEmpty();
    }
}
