/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;
import static org.outpost.deployment.internal.Specs.version;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.Planner;
import org.outpost.manifest.RestartPolicy;
import org.outpost.routing.api.Routing;

class TransactionTest {

    private final List<String> calls = new ArrayList<>();
    private final FakeKind kind = new FakeKind(calls);
    private final ModuleKinds kinds = new ModuleKinds();
    private final FakeConfigurations configurations = new FakeConfigurations();
    private final List<String> started = new ArrayList<>();
    private final Routing routing = Specs.stub(Routing.class, (method, args) -> {
        calls.add(method + " " + args[0]);
        return null;
    });
    private final FakeIdentities identities = new FakeIdentities();
    private final Transaction transaction = new Transaction(kinds, routing, new ModuleConfigurations(
            configurations.admin()), new DeploymentIdentities(identities), Duration.ofSeconds(1), started::add);

    TransactionTest() {
        kinds.add("bundle", kind);
    }

    private List<String> apply(DeploymentManifest current, DeploymentManifest next, UndoLog undo) throws Exception {
        return transaction.apply(current, next, Planner.plan(current.modules(), next), undo);
    }

    @Test
    void anAddedModuleHasItsIdentityBeforeItIsInstalledAndARollbackDeletesIt() throws Exception {
        kind.onInstall = spec -> calls.add("identity of " + spec.name() + ": " + identities.identity(spec.name())
                .isPresent());
        UndoLog undo = new UndoLog();

        apply(deployment(null), deployment(null, running("pump", ModuleType.BUNDLE)), undo);
        assertThat(calls).containsExactly("identity of pump: true", "install pump 1.0");

        undo.rollBack();
        assertThat(identities.identity("pump")).isEmpty();
    }

    @Test
    void aRemovedModuleKeepsItsIdentityUntilTheDeploymentIsKept() throws Exception {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        identities.create("pump");
        String generation = identities.identity("pump").orElseThrow().generationId();
        UndoLog undo = new UndoLog();

        List<String> removed = apply(deployment(null, pump), deployment(null, running("other", ModuleType.BUNDLE)),
                undo);
        assertThat(removed).containsExactly("pump");
        assertThat(identities.identity("pump")).isPresent();

        undo.rollBack();
        assertThat(identities.identity("pump").orElseThrow().generationId()).isEqualTo(generation);
        assertThat(identities.identity("other")).isEmpty();
    }

    @Test
    void anUpdatedModuleKeepsItsIdentity() throws Exception {
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        identities.create("pump");
        String generation = identities.identity("pump").orElseThrow().generationId();

        assertThat(apply(deployment(null, pump), deployment(null, version(pump, "2.0")), new UndoLog())).isEmpty();

        assertThat(identities.identity("pump").orElseThrow().generationId()).isEqualTo(generation);
        assertThat(identities.calls).doesNotContain("delete pump");
    }

    @Test
    void aModulePullingItsImageHasItsProbationAfterThePull() throws Exception {
        ModuleSpec cam = running("cam", ModuleType.BUNDLE);
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        FakeKind pulls = new FakeKind(calls) {
            @Override
            public org.outpost.api.runtime.ModuleInfo info(ModuleSpec spec) {
                // Pulling for longer than the probation (1 s), then running.
                boolean pulling = looks.incrementAndGet() < 20;
                return new org.outpost.api.runtime.ModuleInfo(spec.name(), "container", pulling ? ModuleState.PULLING
                        : ModuleState.RUNNING, -1, "1.0", true, 0, 0, pulling ? "pulling acme/cam:1" : "");
            }
        };
        kinds.remove("bundle", kind);
        kinds.add("bundle", pulls);

        apply(deployment(null), deployment(null, cam), new UndoLog());

        assertThat(looks.get()).isEqualTo(20);
    }

    @Test
    void anUpdateReplacesTheModuleAndItsRollbackRemovesTheNewBeforeReinstallingTheOld() throws Exception {
        ModuleSpec old = running("pump", ModuleType.BUNDLE);
        UndoLog undo = new UndoLog();

        apply(deployment(null, old), deployment(null, version(old, "2.0")), undo);
        assertThat(calls).containsExactly("remove pump 1.0", "install pump 2.0");
        assertThat(started).containsExactly("pump");

        calls.clear();
        undo.rollBack();
        assertThat(calls).containsExactly("remove pump 2.0", "install pump 1.0");
    }

    @Test
    void aModuleThatFailsOnProbationFailsTheDeploymentAndItsInstallIsUndone() {
        kind.failing.clear();
        UndoLog undo = new UndoLog();
        ModuleSpec pump = running("pump", ModuleType.BUNDLE);
        FakeKind failsAfterStart = new FakeKind(calls) {
            @Override
            public boolean install(ModuleSpec spec) {
                super.install(spec);
                states.put(spec.name(), ModuleState.FAILED);
                reasons.put(spec.name(), "component Pump failed to activate");
                return true;
            }
        };
        kinds.remove("bundle", kind);
        kinds.add("bundle", failsAfterStart);

        assertThatThrownBy(() -> apply(deployment(null), deployment(null, pump), undo))
                .hasMessage("module pump failed: component Pump failed to activate");
        undo.rollBack();
        assertThat(calls).containsExactly("install pump 1.0", "remove pump 1.0");
    }

    @Test
    void anInstallThatThrowsHalfWayIsStillRemovedOnRollback() {
        kind.failing.add("pump");
        UndoLog undo = new UndoLog();

        assertThatThrownBy(() -> apply(deployment(null), deployment(null, running("pump", ModuleType.BUNDLE)), undo))
                .hasMessage("cannot install pump");
        undo.rollBack();
        assertThat(calls).containsExactly("install pump 1.0", "remove pump 1.0");
    }

    @Test
    void aModuleThatDoesNotReachItsStatusWithinProbationSaysWhereItIs() {
        FakeKind neverStarts = new FakeKind(calls) {
            @Override
            public boolean install(ModuleSpec spec) {
                states.put(spec.name(), ModuleState.UNKNOWN);
                return true;
            }
        };
        kinds.remove("bundle", kind);
        kinds.add("bundle", neverStarts);

        assertThatThrownBy(() -> apply(deployment(null), deployment(null, running("pump", ModuleType.BUNDLE)),
                new UndoLog())).hasMessage("module pump did not reach running within 1 s (it is unknown)");
    }

    @Test
    void aStatusChangeIsUndoneToTheOldStatus() throws Exception {
        ModuleSpec on = running("pump", ModuleType.BUNDLE);
        ModuleSpec off = Specs.module("pump", ModuleType.BUNDLE, DesiredStatus.STOPPED, RestartPolicy.ALWAYS,
                Map.of());
        kind.install(on);
        calls.clear();
        UndoLog undo = new UndoLog();

        apply(deployment(null, on), deployment(null, off), undo);
        undo.rollBack();

        assertThat(calls).containsExactly("stop pump", "start pump");
    }

    @Test
    void newRoutesAndConfigurationsAreRestoredOnRollback() throws Exception {
        ModuleSpec pump = Specs.module("pump", ModuleType.BUNDLE, DesiredStatus.RUNNING, RestartPolicy.ALWAYS,
                Map.of("RATE", "5"));
        UndoLog undo = new UndoLog();

        apply(deployment("old routes"), deployment("new routes", pump), undo);
        assertThat(configurations.stored.get("org.outpost.module.pump").get("RATE")).isEqualTo("5");

        calls.clear();
        undo.rollBack();
        assertThat(calls).containsExactly("setRoutes old routes", "remove pump 1.0");
        assertThat(configurations.writes).containsExactly("update org.outpost.module.pump",
                "delete org.outpost.module.pump");
    }

    @Test
    void eachKindPreparesItsModulesAndTheFirstRefusalStopsTheDeployment() throws Exception {
        FakeKind features = new FakeKind(calls);
        features.refusal = "400 modulesContent.$edgeAgent.properties.desired.modules: features do not resolve";
        kinds.add("feature", features);
        UndoLog undo = new UndoLog();

        String refused = transaction.prepare(deployment(null, running("a", ModuleType.BUNDLE),
                running("f", ModuleType.FEATURE), running("b", ModuleType.BUNDLE)), undo);

        assertThat(refused).isEqualTo(features.refusal);
        assertThat(calls).containsExactly("prepare [a, b]", "prepare [f]");
        undo.rollBack();
        assertThat(calls).endsWith("unprepare", "unprepare");
    }

    @Test
    void thePlanSaysWhatElseReplacingOrRemovingAModuleTouches() {
        ModuleSpec a = running("a", ModuleType.BUNDLE);
        ModuleSpec b = running("b", ModuleType.BUNDLE);
        DeploymentManifest current = deployment(null, a, b);
        DeploymentManifest next = deployment(null, version(a, "2.0"));

        List<DeploymentResult.PlannedStep> steps = transaction.steps(Planner.plan(current.modules(), next), current);

        assertThat(steps).allSatisfy(s -> assertThat(s.reason()).endsWith("; refreshes org.acme.lib"));
        assertThat(steps).extracting(DeploymentResult.PlannedStep::action).containsExactlyInAnyOrder("update",
                "remove");
    }
}
