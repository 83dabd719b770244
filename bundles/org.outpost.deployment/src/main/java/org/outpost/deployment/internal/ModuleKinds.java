/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The module kinds bound now, by name ({@value ModuleKind#KIND}), and the checks that need them all. */
final class ModuleKinds {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    /** Part of the refusal of a deployment that names a kind not bound (yet). */
    static final String MISSING = "runs on this gateway (it has ";

    private final Map<String, MeasuredKind> kinds = new ConcurrentHashMap<>();
    private final AgentMetrics metrics;

    ModuleKinds() {
        this(AgentMetrics.none());
    }

    /** @param metrics where the commands given to the kinds are counted and timed */
    ModuleKinds(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    /** @return the name of the kind that runs {@code spec}: its type in lower case */
    static String nameOf(ModuleSpec spec) {
        return spec.type().name().toLowerCase(Locale.ROOT);
    }

    /** @return the kind's name from its service properties, or null if it has none */
    static String nameOf(Map<String, ?> properties) {
        Object name = properties.get(ModuleKind.KIND);
        return name == null ? null : name.toString().strip().toLowerCase(Locale.ROOT);
    }

    /** @return false if another kind of that name is bound (the first stays) */
    boolean add(String name, ModuleKind kind) {
        return kinds.putIfAbsent(name, new MeasuredKind(kind, metrics)) == null;
    }

    void remove(String name, ModuleKind kind) {
        kinds.computeIfPresent(name, (n, measured) -> measured.kind() == kind ? null : measured);
    }

    /** @return the kind that runs {@code spec}, or null if it is not bound */
    ModuleKind of(ModuleSpec spec) {
        return kinds.get(nameOf(spec));
    }

    /**
     * @return the kind that runs {@code spec}
     * @throws IllegalStateException if it is not bound (it went away after the deployment was checked)
     */
    ModuleKind require(ModuleSpec spec) {
        ModuleKind kind = of(spec);
        if (kind == null) {
            throw new IllegalStateException("module " + spec.name() + ": " + missing(spec));
        }
        return kind;
    }

    /**
     * Checks that every module of a deployment has its kind on this gateway, and that the kind can run it.
     *
     * @throws ManifestException (400) for the first module that cannot run
     */
    void check(DeploymentManifest deployment) throws ManifestException {
        for (ModuleSpec spec : deployment.modules().values()) {
            ModuleKind kind = of(spec);
            if (kind == null) {
                throw new ManifestException(400, "modulesContent.$edgeAgent.properties.desired.modules."
                        + spec.name() + ".type", missing(spec));
            }
            kind.check(spec);
        }
    }

    /** @return the modules of {@code specs} by the name of their kind, in their order */
    static Map<String, List<ModuleSpec>> byKind(Collection<ModuleSpec> specs) {
        Map<String, List<ModuleSpec>> out = new LinkedHashMap<>();
        for (ModuleSpec spec : specs) {
            out.computeIfAbsent(nameOf(spec), k -> new ArrayList<>()).add(spec);
        }
        return out;
    }

    /**
     * The kind {@code name} came: the deployment's modules of that kind are resumed.
     *
     * @param started told the name of each module started
     */
    void resume(String name, Collection<ModuleSpec> deployed, Consumer<String> started) {
        ModuleKind kind = kinds.get(name);
        for (ModuleSpec spec : byKind(deployed).getOrDefault(name, List.of())) {
            if (kind != null && kind.resume(spec)) {
                started.accept(spec.name());
            }
        }
    }

    /**
     * A module of the running deployment that the policy refuses now is not run: it is stopped if it runs (a bundle or
     * a feature outlives the gateway); a process is simply not started again.
     */
    void hold(ModuleSpec spec, String why) {
        ModuleKind kind = of(spec);
        ModuleInfo info = kind == null ? null : kind.info(spec);
        if (info != null && info.state() == ModuleState.RUNNING) {
            try {
                kind.setRunning(spec, false);
                LOG.warn("Module {} stopped: the deployment policy refuses it ({})", spec.name(), why);
            } catch (Exception e) {
                LOG.error("Module {} is refused by the deployment policy but could not be stopped: {}", spec.name(),
                        e.getMessage());
            }
        }
    }

    /** @return the kind of that name, or null */
    ModuleKind named(String name) {
        return kinds.get(name);
    }

    private String missing(ModuleSpec spec) {
        List<String> known = kinds.keySet().stream().sorted().toList();
        return "no module kind '" + nameOf(spec) + "' " + MISSING + (known.isEmpty() ? "none"
                : String.join(", ", known)) + ")";
    }
}
