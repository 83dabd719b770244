/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.HealthCheck;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.commons.DaemonThreads;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.HealthProbe;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks running modules whether they are healthy, without blocking the supervisor: a bundle module through the
 * {@link HealthCheck} services its bundle registers, a container module through its health command. A probe runs in the
 * background when it is due; between runs its last answer stands.
 */
final class HealthProbes {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProbes.class);
    private static final long BUNDLE_CHECK_TIMEOUT_MS = 2000;

    /** What is known of one module's health. */
    private static final class State {
        Instant lastRun;
        Future<?> running;
        /** When a running bundle probe has taken too long; null for container probes (they time out themselves). */
        Instant deadline;
        int failuresInARow;
        volatile String unhealthy;
    }

    private final BundleContext context;
    private final Duration defaultInterval;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("outpost-health-check"));

    HealthProbes(BundleContext context, Duration defaultInterval) {
        this.context = context;
        this.defaultInterval = defaultInterval;
    }

    void close() {
        pool.shutdownNow();
    }

    /**
     * Starts a probe of a running module if one is due.
     *
     * @param kind the module's kind, which prepares its health command where the module runs
     * @return why the module is unhealthy, or null if it is healthy or not known to be unhealthy
     */
    String check(ModuleSpec spec, ModuleInfo info, ModuleKind kind, Instant now) {
        State s = states.computeIfAbsent(spec.name(), n -> new State());
        HealthProbe probe = spec.healthCheck();
        Duration interval = probe != null && probe.intervalSeconds() > 0 ? Duration.ofSeconds(probe.intervalSeconds())
                : defaultInterval;
        if (s.running != null && !s.running.isDone() && s.deadline != null && !now.isBefore(s.deadline)) {
            s.running.cancel(true);
            record(spec.name(), s, "its health check did not answer within " + BUNDLE_CHECK_TIMEOUT_MS / 1000
                    + " s", 1);
        }
        boolean due = s.lastRun == null || !now.isBefore(s.lastRun.plus(interval));
        if (due && (s.running == null || s.running.isDone())) {
            s.lastRun = now;
            ProcessBuilder command = probe == null ? null : kind.healthCommand(spec, probe.command());
            if (command != null) {
                s.deadline = null;
                s.running = pool.submit(() -> record(spec.name(), s, runCommand(probe, command), probe.retries()));
            } else if (info.bundleId() >= 0) {
                s.deadline = now.plusMillis(BUNDLE_CHECK_TIMEOUT_MS);
                s.running = pool.submit(() -> record(spec.name(), s, askBundle(info.bundleId()), 1));
            }
        }
        return s.unhealthy;
    }

    /** @return why the module was last found unhealthy, or null */
    String unhealthy(String module) {
        State s = states.get(module);
        return s == null ? null : s.unhealthy;
    }

    /** Forgets what is known of a module: after a restart, or when it is not running. */
    void forget(String module) {
        State s = states.remove(module);
        if (s != null && s.running != null) {
            s.running.cancel(true);
        }
    }

    /** Starts the next probe only after a full interval from {@code now} (a module that just started). */
    void restarted(String module, Instant now) {
        forget(module);
        State s = new State();
        s.lastRun = now;
        states.put(module, s);
    }

    private static void record(String module, State s, String problem, int retries) {
        if (problem == null) {
            s.failuresInARow = 0;
            if (s.unhealthy != null) {
                LOG.info("Module {} is healthy again", module);
            }
            s.unhealthy = null;
            return;
        }
        s.failuresInARow++;
        if (s.failuresInARow >= retries) {
            if (s.unhealthy == null) {
                LOG.warn("Module {} is unhealthy: {}", module, problem);
            }
            s.unhealthy = problem;
        }
    }

    /** @return null if healthy, else why not */
    private static String runCommand(HealthProbe probe, ProcessBuilder command) {
        ProcessBuilder pb = command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return "its health command " + probe.command().get(0) + " cannot run: " + e.getMessage();
        }
        try {
            if (!p.waitFor(probe.timeoutSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "its health command did not finish within " + probe.timeoutSeconds() + " s";
            }
            return p.exitValue() == 0 ? null : "its health command exited with code " + p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** @return null if every health check the bundle registers says healthy, else the first reason */
    private String askBundle(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        ServiceReference<?>[] services = bundle == null ? null : bundle.getRegisteredServices();
        if (services == null) {
            return null;
        }
        for (ServiceReference<?> ref : services) {
            Object classes = ref.getProperty(Constants.OBJECTCLASS);
            if (!(classes instanceof String[] names) || !Arrays.asList(names).contains(HealthCheck.class.getName())) {
                continue;
            }
            Object service = context.getService(ref);
            try {
                if (service instanceof HealthCheck check) {
                    HealthCheck.Health h;
                    try {
                        // On this probe's own thread: check() stops it when it takes too long.
                        h = check.check();
                    } catch (RuntimeException e) {
                        h = HealthCheck.Health.unhealthy("its health check failed: " + e);
                    }
                    if (!h.healthy()) {
                        return h.reason();
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return null;
    }
}
