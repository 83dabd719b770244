/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.RunningDeployment;

class ModuleConfigurationsTest {

    private static final ObjectClassDefinition DEFINITION = Fakes.definition();
    private final Bundle bundle = Fakes.moduleBundle("filter");
    /** The deployment's PID of each module; null: no running deployment bound. */
    private Map<String, String> deployed;
    /** The PIDs the module's bundle defines in Metatype; null: no Metatype. */
    private String[] metatypePids;
    private long bundleId = 7;

    private ModuleConfigurations.Target target(String module) {
        BundleContext context = Fakes.fake(BundleContext.class, Map.of(
                "getBundle", args -> (long) args[0] == 7 ? bundle : null));
        MetaTypeInformation info = Fakes.fake(MetaTypeInformation.class, Map.of("getPids", args -> metatypePids,
                "getObjectClassDefinition", args -> DEFINITION));
        MetaTypeService metaType = Fakes.fake(MetaTypeService.class, Map.of("getMetaTypeInformation",
                args -> args[0] == bundle && metatypePids != null ? info : null));
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("module", args -> Optional.of(new ModuleInfo(
                (String) args[0], "bundle", ModuleState.RUNNING, bundleId, "1.0.0", true, 0, 0, ""))));
        ModuleConfigurations configurations = new ModuleConfigurations(context, metaType, runtime);
        if (deployed != null) {
            configurations.bindDeployment(running(deployed));
        }
        return configurations.target(module);
    }

    private static RunningDeployment running(Map<String, String> pids) {
        return Fakes.fake(RunningDeployment.class, Map.of("configurationPid",
                args -> Optional.ofNullable(pids.get((String) args[0])), "configurationRefused",
                args -> ((String) args[1]).startsWith("org.outpost.upstream") ? Optional.of("'" + args[1] + "' is a"
                        + " configuration of the gateway (config.reserved.pids)") : Optional.empty()));
    }

    @Test
    void theDeploymentsPidComesFirstWithItsMetatypeDefinition() {
        deployed = new HashMap<>(Map.of("filter", "org.example.filter"));
        metatypePids = new String[] {"org.example.filter", "org.example.other"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.example.filter", DEFINITION));
    }

    @Test
    void withoutADeploymentPidTheOnePidTheBundleDefinesIsTaken() {
        deployed = new HashMap<>();
        metatypePids = new String[] {"org.example.filter"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.example.filter", DEFINITION));
    }

    @Test
    void withSeveralMetatypePidsAndNoDeploymentPidTheModulesOwnPidIsTakenUntyped() {
        deployed = new HashMap<>();
        metatypePids = new String[] {"a", "b"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.outpost.module.filter", null));
    }

    @Test
    void aDeploymentPidTheBundleDoesNotDefineIsUntyped() {
        deployed = new HashMap<>(Map.of("filter", "org.example.elsewhere"));
        metatypePids = new String[] {"org.example.filter"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.example.elsewhere", null));
    }

    @Test
    void aModuleWithoutABundleHasNoMetatype() {
        bundleId = -1;
        metatypePids = new String[] {"org.example.filter"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.outpost.module.filter", null));
    }

    @Test
    void theRunningDeploymentBoundLastGivesThePidAndNoneOnceItGoes() {
        metatypePids = new String[] {"a", "b"};
        BundleContext context = Fakes.fake(BundleContext.class, Map.of("getBundle", args -> bundle));
        MetaTypeService metaType = Fakes.fake(MetaTypeService.class, Map.of("getMetaTypeInformation", args -> null));
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("module", args -> Optional.empty()));
        ModuleConfigurations configurations = new ModuleConfigurations(context, metaType, runtime);
        RunningDeployment first = running(Map.of("filter", "org.example.first"));
        RunningDeployment second = running(Map.of("filter", "org.example.second"));
        configurations.bindDeployment(first);
        configurations.bindDeployment(second);

        configurations.unbindDeployment(first);
        assertThat(configurations.target("filter").pid()).isEqualTo("org.example.second");

        configurations.unbindDeployment(second);
        assertThat(configurations.target("filter").pid()).isEqualTo("org.outpost.module.filter");
    }

    @Test
    void aMetatypePidTheDeploymentPolicyReservesIsRefused() {
        deployed = new HashMap<>();
        metatypePids = new String[] {"org.outpost.upstream"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.outpost.upstream", DEFINITION,
                "'org.outpost.upstream' is a configuration of the gateway (config.reserved.pids)"));
    }

    @Test
    void withoutARunningDeploymentToAskOnlyTheModulesOwnPidIsGiven() {
        metatypePids = new String[] {"org.example.filter"};

        assertThat(target("filter").refused()).contains("cannot be checked against the deployment policy");
        bundleId = -1;
        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.outpost.module.filter", null));
    }
}
