/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class ModuleKindsTest {

    private final ModuleKinds kinds = new ModuleKinds();

    @Test
    void aManifestNamingAKindThisGatewayDoesNotRunIsRefusedSayingWhere() {
        kinds.add("bundle", new FakeKind());

        assertThatThrownBy(() -> kinds.check(deployment(null, running("a", ModuleType.BUNDLE),
                running("script", ModuleType.CONTAINER)))).isInstanceOf(ManifestException.class)
                .hasMessage("400 modulesContent.$edgeAgent.properties.desired.modules.script.type: no module kind"
                        + " 'container' runs on this gateway (it has bundle)");
        assertThatThrownBy(() -> new ModuleKinds().check(deployment(null, running("a", ModuleType.BUNDLE))))
                .hasMessageEndingWith("(it has none)");
    }

    @Test
    void eachModuleIsCheckedByItsKind() {
        kinds.add("container", new FakeKind() {
            @Override
            public void check(ModuleSpec spec) throws ManifestException {
                throw new ManifestException(400, "modules." + spec.name(), "no engine");
            }
        });

        assertThatThrownBy(() -> kinds.check(deployment(null, running("script", ModuleType.CONTAINER))))
                .hasMessage("400 modules.script: no engine");
    }

    @Test
    void theFirstKindOfANameStaysAndTheNameComesFromTheServiceProperty() {
        FakeKind first = new FakeKind();
        assertThat(kinds.add("bundle", first)).isTrue();
        assertThat(kinds.add("bundle", new FakeKind())).isFalse();
        // Measured on its way (AgentMetrics), the kind itself underneath.
        assertThat(kinds.of(running("a", ModuleType.BUNDLE))).isInstanceOfSatisfying(MeasuredKind.class,
                k -> assertThat(k.kind()).isSameAs(first));
        assertThat(ModuleKinds.nameOf(Map.of(ModuleKind.KIND, " Container "))).isEqualTo("container");
        assertThat(ModuleKinds.nameOf(Map.of())).isNull();
    }

    @Test
    void aKindThatWentAwayIsNamedWhenAStepNeedsIt() {
        FakeKind bundles = new FakeKind();
        kinds.add("bundle", bundles);
        kinds.remove("bundle", bundles);

        assertThatThrownBy(() -> kinds.require(running("a", ModuleType.BUNDLE)))
                .hasMessage("module a: no module kind 'bundle' runs on this gateway (it has none)");
    }

    @Test
    void aKindThatComesResumesItsModules() {
        List<String> calls = new ArrayList<>();
        FakeKind containers = new FakeKind(calls) {
            @Override
            public boolean resume(ModuleSpec spec) {
                calls.add("resume " + spec.name());
                states.put(spec.name(), ModuleState.RUNNING);
                return true;
            }
        };
        kinds.add("container", containers);
        List<ModuleSpec> deployed = List.of(running("a", ModuleType.BUNDLE), running("s", ModuleType.CONTAINER));
        List<String> started = new ArrayList<>();

        kinds.resume("container", deployed, started::add);

        assertThat(calls).containsExactly("resume s");
        assertThat(started).containsExactly("s");
    }

    @Test
    void aModuleHeldByThePolicyIsStoppedIfItRunsAndLeftAloneIfNot() {
        FakeKind bundles = new FakeKind();
        FakeKind containers = new FakeKind();
        kinds.add("bundle", bundles);
        kinds.add("container", containers);
        bundles.states.put("spy", ModuleState.RUNNING);

        kinds.hold(running("spy", ModuleType.BUNDLE), "400 modules.spy.settings.pid: reserved");
        kinds.hold(running("script", ModuleType.CONTAINER), "400 modules.script.settings.command: off");

        assertThat(bundles.calls).containsExactly("stop spy");
        assertThat(bundles.states).containsEntry("spy", ModuleState.STOPPED);
        // A process that was never started is not installed, so nothing is pulled or run for it.
        assertThat(containers.calls).isEmpty();
    }
}
