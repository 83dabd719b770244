/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class ConfigPidsTest {

    /** The shipped defaults of config.reserved.pids and config.allowed.pids. */
    private final ConfigPids pids = new ConfigPids(defaults("config_reserved_pids"), defaults("config_allowed_pids"));

    private static List<String> defaults(String attribute) {
        try {
            return List.of((String[]) DeploymentConfig.class.getMethod(attribute).getDefaultValue());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static ModuleSpec withPid(String name, String pid) {
        ModuleSpec s = Specs.running(name, ModuleType.BUNDLE);
        return new ModuleSpec(s.name(), s.type(), s.declaredType(), s.version(), s.status(), s.restartPolicy(),
                s.startupOrder(), s.env(), s.location(), s.feature(), s.featureVersion(), s.command(), s.image(),
                s.createOptions(), pid, s.healthCheck());
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.outpost.upstream", "org.outpost.upstream-main", "org.outpost.deployment",
        "org.apache.karaf.shell", "org.apache.karaf.jaas", "ORG.Apache.Karaf.Shell", "org.ops4j.pax.url.mvn",
        "org.eclipse.jetty", "felix.fileinstall", "karaf.shell", "jmx.acl", "org.outpost"})
    void theGatewaysAndThePlatformsConfigurationsAreRefused(String pid) {
        assertThat(pids.why("pump", pid)).startsWith("'" + pid + "' is a configuration of the gateway or its platform")
                .contains("config.reserved.pids in etc/org.outpost.deployment.cfg", "org.outpost.module.pump");
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.outpost.module.pump", "org.outpost.module.pump.extra", "org.outpost.samples.heartbeat",
        "com.acme.filter", "org.outposter.x", "felixx.y", "org.apachex"})
    void aModulesOwnConfigurationsTheSamplesAndThoseOutsideTheReservedOnesAreAllowed(String pid) {
        assertThat(pids.why("pump", pid)).isNull();
    }

    @Test
    void aModuleMayNotTakeAnotherModulesConfiguration() {
        assertThat(pids.why("pump", "org.outpost.module.valve")).isEqualTo("'org.outpost.module.valve' is another"
                + " module's configuration: module 'pump' has org.outpost.module.pump (the default, when settings.pid"
                + " is left out) or PIDs below it");
        assertThat(pids.why("pump", "org.outpost.module.pumpx")).isNotNull();
    }

    @Test
    void aDeploymentIsRefusedWithThePathOfTheFirstReservedPid() {
        var deployment = new org.outpost.manifest.DeploymentManifest("1.1", List.of(), Map.of("pump",
                withPid("pump", "org.outpost.module.pump"), "evil", withPid("evil", "org.outpost.upstream")), null,
                Map.of());

        assertThatThrownBy(() -> pids.check(deployment)).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.path()).isEqualTo("modulesContent.$edgeAgent.properties.desired.modules.evil.settings.pid");
        });
    }

    @Test
    void theReservedAndAllowedListsAreTheOperatorsToChange() {
        ConfigPids strict = new ConfigPids(List.of("com.acme.*"), List.of());

        assertThat(strict.why("pump", "com.acme.filter")).contains("reserved: com.acme.*");
        assertThat(strict.why("pump", "org.outpost.upstream")).isNull();
        assertThat(new ConfigPids(List.of("*"), List.of("com.acme.pump")).why("pump", "com.acme.pump")).isNull();
    }
}
