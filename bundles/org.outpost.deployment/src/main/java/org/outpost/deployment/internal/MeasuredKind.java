/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.api.LogQuery;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;

/**
 * A module kind as the deployment calls it: each command it gives a module is timed
 * ({@code edgeAgent_command_latency_seconds}) and its starts and stops counted ({@link AgentMetrics}), as IoT Edge's
 * edgeAgent counts the commands it gives docker. Everything else goes to the kind as it is.
 */
final class MeasuredKind implements ModuleKind {

    private final ModuleKind kind;
    private final AgentMetrics metrics;

    MeasuredKind(ModuleKind kind, AgentMetrics metrics) {
        this.kind = kind;
        this.metrics = metrics;
    }

    /** @return the kind itself */
    ModuleKind kind() {
        return kind;
    }

    private interface Command<T> {
        T run() throws Exception;
    }

    private <T> T timed(String command, Command<T> c) throws Exception {
        Metrics.Timer timer = metrics.command(command);
        long t0 = System.nanoTime();
        try {
            return c.run();
        } finally {
            timer.record(System.nanoTime() - t0);
        }
    }

    @Override
    public boolean install(ModuleSpec spec) throws Exception {
        boolean started = timed("create", () -> kind.install(spec));
        if (started) {
            metrics.started(spec);
        }
        return started;
    }

    @Override
    public void remove(ModuleSpec spec) throws Exception {
        timed("remove", () -> {
            kind.remove(spec);
            return null;
        });
        metrics.stopped(spec);
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) throws Exception {
        timed(running ? "start" : "stop", () -> {
            kind.setRunning(spec, running);
            return null;
        });
        if (running) {
            metrics.started(spec);
        } else {
            metrics.stopped(spec);
        }
    }

    @Override
    public boolean restart(ModuleSpec spec) throws Exception {
        boolean started = timed("restart", () -> kind.restart(spec));
        metrics.stopped(spec);
        if (started) {
            metrics.started(spec);
        }
        return started;
    }

    @Override
    public boolean resume(ModuleSpec spec) {
        long t0 = System.nanoTime();
        boolean started = kind.resume(spec);
        if (started) {
            metrics.command("start").record(System.nanoTime() - t0);
            metrics.started(spec);
        }
        return started;
    }

    @Override
    public void check(ModuleSpec spec) throws ManifestException {
        kind.check(spec);
    }

    @Override
    public String prepare(List<ModuleSpec> modules, DeploymentManifest deployment, Undo undo) throws Exception {
        return kind.prepare(modules, deployment, undo);
    }

    @Override
    public String reach(ModuleSpec running) {
        return kind.reach(running);
    }

    @Override
    public ModuleInfo info(ModuleSpec spec) {
        return kind.info(spec);
    }

    @Override
    public boolean settling(ModuleSpec spec) {
        return kind.settling(spec);
    }

    @Override
    public String deadReason(ModuleSpec spec) {
        return kind.deadReason(spec);
    }

    @Override
    @Deprecated
    public List<ModuleInfo> ownModules(Collection<ModuleSpec> deployed) {
        return kind.ownModules(deployed);
    }

    @Override
    public ProcessBuilder healthCommand(ModuleSpec spec, List<String> command) {
        return kind.healthCommand(spec, command);
    }

    @Override
    public Optional<List<String>> logs(ModuleSpec spec, LogQuery query) throws IOException {
        return kind.logs(spec, query);
    }

    @Override
    public Integer exitCode(ModuleSpec spec) {
        return kind.exitCode(spec);
    }

    @Override
    public Instant lastExit(ModuleSpec spec) {
        return kind.lastExit(spec);
    }

    @Override
    public String toString() {
        return kind.toString();
    }
}
