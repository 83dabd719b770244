/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.Planner;
import org.outpost.routing.api.Routing;

/**
 * Applies a deployment's plan step by step, each step with its undo pushed onto the deployment's {@link Undo} log
 * (before the change for what installs, after it for what removes), then gives the changed modules a probation window
 * to reach their desired status. The caller rolls the log back if anything throws.
 */
final class Transaction {

    private final ModuleKinds kinds;
    private final Routing routing;
    private final ModuleConfigurations configurations;
    private final DeploymentIdentities identities;
    private final Duration probation;
    private final Consumer<String> started;
    private final Ticker ticker;

    /**
     * @param started told the name of each module started
     */
    Transaction(ModuleKinds kinds, Routing routing, ModuleConfigurations configurations,
            DeploymentIdentities identities, Duration probation, Consumer<String> started) {
        this(kinds, routing, configurations, identities, probation, started, Ticker.SYSTEM);
    }

    /** @param ticker the time probation is measured on: monotonic, so that a wall clock stepped on cannot end it */
    Transaction(ModuleKinds kinds, Routing routing, ModuleConfigurations configurations,
            DeploymentIdentities identities, Duration probation, Consumer<String> started, Ticker ticker) {
        this.ticker = ticker;
        this.kinds = kinds;
        this.routing = routing;
        this.configurations = configurations;
        this.identities = identities;
        this.probation = probation;
        this.started = started;
    }

    /**
     * @return the plan as reported, each step that replaces or removes a module with what else that touches (for a
     *         bundle, the bundles the framework refresh restarts with it), so that operators see the reach of a
     *         change before it is made
     */
    List<DeploymentResult.PlannedStep> steps(List<Planner.Step> plan, DeploymentManifest current) {
        return plan.stream().map(s -> new DeploymentResult.PlannedStep(s.action().name().toLowerCase(Locale.ROOT),
                s.module(), s.reason() + reach(s, current))).toList();
    }

    private String reach(Planner.Step step, DeploymentManifest current) {
        if (step.action() != Planner.Action.UPDATE && step.action() != Planner.Action.REMOVE) {
            return "";
        }
        ModuleSpec spec = current.modules().get(step.module());
        ModuleKind kind = spec == null ? null : kinds.of(spec);
        return kind == null ? "" : kind.reach(spec);
    }

    /**
     * Lets each kind prepare the deployment's modules (feature repositories added, features resolved), what it changes
     * pushed onto {@code undo}.
     *
     * @return why the deployment cannot be applied, or null
     */
    String prepare(DeploymentManifest next, Undo undo) throws Exception {
        for (Map.Entry<String, List<ModuleSpec>> e : ModuleKinds.byKind(next.modules().values()).entrySet()) {
            String refused = kinds.require(e.getValue().get(0)).prepare(List.copyOf(e.getValue()), next, undo);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    /**
     * Applies the plan from {@code current} to {@code next}, and waits for the changed modules' probation. Every
     * module of {@code next} has its identity first; the removed modules keep theirs until the deployment is kept.
     *
     * @return the modules removed, whose identities go once the deployment is kept
     *         ({@link DeploymentIdentities#deleteRemoved})
     */
    List<String> apply(DeploymentManifest current, DeploymentManifest next, List<Planner.Step> plan, Undo undo)
            throws Exception {
        identities.create(next, undo);
        List<String> onProbation = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Planner.Step step : plan) {
            ModuleSpec before = current.modules().get(step.module());
            ModuleSpec after = next.modules().get(step.module());
            switch (step.action()) {
                case REMOVE -> {
                    remove(before);
                    undo.push("reinstall " + before.name(), () -> install(before));
                    removed.add(before.name());
                }
                case INSTALL -> {
                    undo.push("remove " + after.name(), () -> remove(after));
                    install(after);
                    onProbation.add(after.name());
                }
                case UPDATE -> {
                    remove(before);
                    undo.push("reinstall " + before.name(), () -> install(before));
                    undo.push("remove " + after.name(), () -> remove(after));
                    install(after);
                    onProbation.add(after.name());
                }
                case START, STOP -> {
                    setRunning(after, after.status() == DesiredStatus.RUNNING);
                    undo.push("restore the status of " + after.name(),
                            () -> setRunning(before, before.status() == DesiredStatus.RUNNING));
                    onProbation.add(after.name());
                }
                case KEEP -> {
                }
                default -> throw new IllegalStateException(step.action().toString());
            }
            if (after != null) {
                configurations.configure(before, after, next.moduleTwins().get(after.name()), undo);
            }
        }
        if (next.edgeHub() != null && !Objects.equals(next.edgeHub(), current.edgeHub())) {
            String previous = current.edgeHub();
            routing.setRoutes(next.edgeHub());
            undo.push("restore the routes", () -> {
                if (previous != null) {
                    routing.setRoutes(previous);
                }
            });
        }
        awaitProbation(next, onProbation);
        return removed;
    }

    void install(ModuleSpec spec) throws Exception {
        if (kinds.require(spec).install(spec)) {
            started.accept(spec.name());
        }
    }

    private void remove(ModuleSpec spec) throws Exception {
        kinds.require(spec).remove(spec);
    }

    private void setRunning(ModuleSpec spec, boolean running) throws Exception {
        kinds.require(spec).setRunning(spec, running);
        if (running) {
            started.accept(spec.name());
        }
    }

    /** Waits until every changed module that should run runs; throws naming the first that does not. */
    private void awaitProbation(DeploymentManifest next, List<String> modules) throws Exception {
        long since = ticker.nanos();
        for (String name : modules) {
            ModuleSpec spec = next.modules().get(name);
            ModuleKind kind = kinds.require(spec);
            ModuleState wanted = spec.status() == DesiredStatus.RUNNING ? ModuleState.RUNNING : ModuleState.STOPPED;
            while (true) {
                ModuleInfo info = kind.info(spec);
                if (info != null && info.state() == wanted) {
                    break;
                }
                if (info != null && info.state() == ModuleState.PULLING) {
                    // Its probation begins once its image is there (a pull ends, in time, by itself).
                    since = ticker.nanos();
                }
                if (info != null && info.state() == ModuleState.FAILED && !kind.settling(spec)) {
                    throw new IllegalStateException("module " + name + " failed: " + info.reason());
                }
                if (Ticker.elapsed(since, ticker.nanos(), probation)) {
                    throw new IllegalStateException("module " + name + " did not reach " + wanted.name()
                            .toLowerCase(Locale.ROOT) + " within " + probation.toSeconds() + " s"
                            + (info == null ? " (the gateway does not see it as a module)" : " (it is "
                                    + info.state().name().toLowerCase(Locale.ROOT) + (info.reason().isEmpty()
                                            ? "" : ": " + info.reason()) + ")"));
                }
                Thread.sleep(100);
            }
        }
    }
}
