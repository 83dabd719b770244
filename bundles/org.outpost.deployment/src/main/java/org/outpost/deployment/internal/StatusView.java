/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ModuleSpec;

/**
 * The deployment status in the IoT Edge reported-properties shape: the outcome of the last deployment, and for each
 * deployed module its desired and runtime status (the supervisor's view first, then its kind's), why, and its start,
 * restart and exit times.
 */
final class StatusView {

    private final ModuleKinds kinds;
    private final Supervisor supervisor;
    private final Map<String, Instant> lastStart = new ConcurrentHashMap<>();

    StatusView(ModuleKinds kinds, Supervisor supervisor) {
        this.kinds = kinds;
        this.supervisor = supervisor;
    }

    /** A module was started now. */
    void started(String module) {
        lastStart.put(module, Instant.now());
    }

    /** @param refused modules of {@code current} the deployment policy refused at start, with why: failed */
    DeploymentStatus status(long lastDesiredVersion, DeploymentStatus.Outcome lastOutcome, DeploymentManifest current,
            Map<String, String> refused) {
        Map<String, DeploymentStatus.ModuleStatus> modules = new LinkedHashMap<>();
        for (ModuleSpec spec : current.modules().values()) {
            DeploymentStatus.ModuleStatus m = module(spec, kinds.of(spec));
            String why = refused.get(spec.name());
            modules.put(spec.name(), why == null ? m : new DeploymentStatus.ModuleStatus(m.type(), m.version(),
                    m.status(), "failed", "refused by the deployment policy: " + why, m.lastStartTimeUtc(),
                    m.restartCount(), m.lastRestartTimeUtc(), m.exitCode(), m.lastExitTimeUtc()));
        }
        return new DeploymentStatus(lastDesiredVersion, lastOutcome, modules);
    }

    private DeploymentStatus.ModuleStatus module(ModuleSpec spec, ModuleKind kind) {
        ModuleInfo info = kind == null ? null : kind.info(spec);
        RestartClock clock = supervisor.clock(spec.name());
        String view = supervisor.view(spec.name());
        String runtimeStatus = view != null ? view : info == null ? "unknown" : info.state().name()
                .toLowerCase(Locale.ROOT);
        String description = info == null ? "" : info.reason();
        String sick = supervisor.unhealthy(spec.name());
        if (sick != null) {
            description = "unhealthy: " + sick;
        }
        String dead = kind == null ? null : kind.deadReason(spec);
        if (dead != null) {
            runtimeStatus = "dead";
            description = dead + "; deploy it again or run edge:restart " + spec.name() + " when it can run";
        }
        if (runtimeStatus.equals("failed") && clock != null && clock.givenUp()) {
            description = "given up after " + clock.restarts() + " restarts" + (description.isEmpty() ? ""
                    : "; " + description);
        }
        return new DeploymentStatus.ModuleStatus(spec.declaredType(), spec.version(),
                spec.status().name().toLowerCase(Locale.ROOT), runtimeStatus, description, lastStart.get(spec.name()),
                clock == null ? 0 : clock.restarts(), clock == null ? null : clock.lastRestart(),
                kind == null ? null : kind.exitCode(spec), kind == null ? null : kind.lastExit(spec));
    }
}
