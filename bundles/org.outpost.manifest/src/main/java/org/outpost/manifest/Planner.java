/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Compares a desired deployment with the modules that run and says what must change: modules that go away are removed
 * first (last started, first removed), then each desired module in startup order is installed, updated, started or
 * stopped, or left alone when its spec did not change, so unrelated modules are never touched.
 */
public final class Planner {

    /** What one step does. */
    public enum Action {
        REMOVE, INSTALL, UPDATE, START, STOP, KEEP
    }

    /**
     * One step of a plan.
     *
     * @param action what is done
     * @param module the module
     * @param reason why, for people
     */
    public record Step(Action action, String module, String reason) {
    }

    private Planner() {
    }

    /**
     * @param current the modules that run now, as their deployment described them
     * @param desired the deployment to reach
     * @return the steps, in the order they are applied
     */
    public static List<Step> plan(Map<String, ModuleSpec> current, DeploymentManifest desired) {
        List<Step> steps = new ArrayList<>();
        current.values().stream().filter(m -> !desired.modules().containsKey(m.name()))
                .sorted(Comparator.comparingInt(ModuleSpec::startupOrder).thenComparing(ModuleSpec::name).reversed())
                .forEach(m -> steps.add(new Step(Action.REMOVE, m.name(), "not in the deployment")));
        for (ModuleSpec want : desired.modules().values()) {
            ModuleSpec have = current.get(want.name());
            if (have == null) {
                steps.add(new Step(Action.INSTALL, want.name(), "new " + want.declaredType() + " module"
                        + (want.status() == DesiredStatus.STOPPED ? ", left stopped" : "")));
            } else if (have.needsUpdateTo(want)) {
                steps.add(new Step(Action.UPDATE, want.name(), changes(have, want)));
            } else if (have.status() != want.status()) {
                steps.add(new Step(want.status() == DesiredStatus.RUNNING ? Action.START : Action.STOP, want.name(),
                        "status " + have.status().name().toLowerCase(java.util.Locale.ROOT) + " -> "
                                + want.status().name().toLowerCase(java.util.Locale.ROOT)));
            } else {
                steps.add(new Step(Action.KEEP, want.name(), "unchanged"));
            }
        }
        return steps;
    }

    private static String changes(ModuleSpec a, ModuleSpec b) {
        List<String> what = new ArrayList<>();
        if (a.type() != b.type()) {
            what.add("type " + a.declaredType() + " -> " + b.declaredType());
        }
        if (!a.version().equals(b.version())) {
            what.add("version " + (a.version().isEmpty() ? "-" : a.version()) + " -> "
                    + (b.version().isEmpty() ? "-" : b.version()));
        }
        if (!java.util.Objects.equals(a.location(), b.location())) {
            what.add("location " + b.location());
        }
        if (!java.util.Objects.equals(a.feature(), b.feature())
                || !java.util.Objects.equals(a.featureVersion(), b.featureVersion())) {
            what.add("feature " + b.feature() + (b.featureVersion() == null ? "" : "/" + b.featureVersion()));
        }
        if (!a.env().equals(b.env())) {
            what.add("env");
        }
        if (!a.command().equals(b.command()) || !java.util.Objects.equals(a.image(), b.image())
                || !java.util.Objects.equals(a.createOptions(), b.createOptions())) {
            what.add("container settings");
        }
        return String.join(", ", what);
    }
}
