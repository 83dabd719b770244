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
import org.osgi.framework.ServiceReference;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;

class ModuleConfigurationsTest {

    private static final ObjectClassDefinition DEFINITION = Fakes.definition();
    private final Bundle bundle = Fakes.moduleBundle("filter");
    private final int[] ungot = new int[1];
    /** The deployment's PID of each module; null: no deployer. */
    private Map<String, String> deployed;
    /** The PIDs the module's bundle defines in Metatype; null: no Metatype. */
    private String[] metatypePids;
    private long bundleId = 7;

    private ModuleConfigurations.Target target(String module) {
        ServiceReference<?> ref = Fakes.reference(null, Map.of());
        Deployer deployer = Fakes.fake(Deployer.class, Map.of("configurationPid",
                args -> Optional.ofNullable(deployed.get((String) args[0]))));
        BundleContext context = Fakes.fake(BundleContext.class, Map.of(
                "getBundle", args -> (long) args[0] == 7 ? bundle : null,
                "getServiceReference", args -> deployed == null ? null : ref,
                "getService", args -> deployer,
                "ungetService", args -> ++ungot[0] > 0));
        MetaTypeInformation info = Fakes.fake(MetaTypeInformation.class, Map.of("getPids", args -> metatypePids,
                "getObjectClassDefinition", args -> DEFINITION));
        MetaTypeService metaType = Fakes.fake(MetaTypeService.class, Map.of("getMetaTypeInformation",
                args -> args[0] == bundle && metatypePids != null ? info : null));
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("module", args -> Optional.of(new ModuleInfo(
                (String) args[0], "bundle", ModuleState.RUNNING, bundleId, "1.0.0", true, 0, 0, ""))));
        return new ModuleConfigurations(context, metaType, runtime).target(module);
    }

    @Test
    void theDeploymentsPidComesFirstWithItsMetatypeDefinition() {
        deployed = new HashMap<>(Map.of("filter", "org.example.filter"));
        metatypePids = new String[] {"org.example.filter", "org.example.other"};

        assertThat(target("filter")).isEqualTo(new ModuleConfigurations.Target("org.example.filter", DEFINITION));
        assertThat(ungot[0]).isEqualTo(1);
    }

    @Test
    void withoutADeploymentPidTheOnePidTheBundleDefinesIsTaken() {
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
}
