/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;

/** A module kind that keeps module states in a map and writes down what it is asked to do; thread-safe. */
class FakeKind implements ModuleKind {

    final List<String> calls;
    final Map<String, ModuleState> states = new ConcurrentHashMap<>();
    final Map<String, String> reasons = new ConcurrentHashMap<>();
    final Map<String, String> dead = new ConcurrentHashMap<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    volatile String refusal;

    FakeKind(List<String> calls) {
        this.calls = calls;
    }

    FakeKind() {
        this(new CopyOnWriteArrayList<>());
    }

    @Override
    public String prepare(List<ModuleSpec> modules, DeploymentManifest deployment, Undo undo) {
        calls.add("prepare " + modules.stream().map(ModuleSpec::name).toList());
        undo.push("unprepare", () -> calls.add("unprepare"));
        return refusal;
    }

    @Override
    public String reach(ModuleSpec running) {
        return "; refreshes org.acme.lib";
    }

    /** Runs first in each install. */
    volatile java.util.function.Consumer<ModuleSpec> onInstall = spec -> {
    };

    @Override
    public boolean install(ModuleSpec spec) {
        onInstall.accept(spec);
        calls.add("install " + spec.name() + " " + spec.version());
        if (failing.contains(spec.name())) {
            throw new IllegalStateException("cannot install " + spec.name());
        }
        boolean run = spec.status() == DesiredStatus.RUNNING;
        states.put(spec.name(), run ? ModuleState.RUNNING : ModuleState.STOPPED);
        return run;
    }

    @Override
    public void remove(ModuleSpec spec) {
        calls.add("remove " + spec.name() + " " + spec.version());
        states.remove(spec.name());
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) {
        calls.add((running ? "start " : "stop ") + spec.name());
        states.put(spec.name(), running ? ModuleState.RUNNING : ModuleState.STOPPED);
    }

    @Override
    public boolean restart(ModuleSpec spec) {
        calls.add("restart " + spec.name());
        return true;
    }

    @Override
    public ModuleInfo info(ModuleSpec spec) {
        ModuleState s = states.get(spec.name());
        return s == null ? null : new ModuleInfo(spec.name(), "fake", s, -1, spec.version(), true, 0, 0,
                reasons.getOrDefault(spec.name(), ""));
    }

    @Override
    public String deadReason(ModuleSpec spec) {
        return dead.get(spec.name());
    }

    @Override
    public Integer exitCode(ModuleSpec spec) {
        return states.get(spec.name()) == ModuleState.FAILED ? 3 : null;
    }

    @Override
    public Instant lastExit(ModuleSpec spec) {
        return states.get(spec.name()) == ModuleState.FAILED ? Instant.EPOCH : null;
    }
}
