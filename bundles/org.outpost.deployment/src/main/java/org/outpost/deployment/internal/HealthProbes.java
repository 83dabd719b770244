/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
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
 * <p>
 * Probes cannot pile up: a module has at most one probe in flight, whatever happens to it (restarted, forgotten);
 * one that has not returned within its time ({@value #BUNDLE_CHECK_TIMEOUT_MS} ms for a bundle's checks, the
 * command's timeout and {@value #COMMAND_GRACE_SECONDS} s for a command) is interrupted once and makes the module
 * unhealthy ("its health check has not returned for N s") until it returns, and no other probe of that module starts
 * meanwhile. All probes share a pool of at most {@code maxThreads} daemon threads named {@code outpost-health-check-N};
 * a probe waiting for a thread is not counted as hung. Intervals are measured on a {@link Ticker}.
 */
final class HealthProbes {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProbes.class);
    private static final long BUNDLE_CHECK_TIMEOUT_MS = 2000;
    private static final long COMMAND_GRACE_SECONDS = 5;

    /** What is known of one module's health; a new one after each restart. */
    private static final class State {
        Long lastRun;
        int failuresInARow;
        volatile String unhealthy;
    }

    /** A probe in flight: queued, or running on a thread of the pool since {@link #startedAt}. */
    private static final class Probe {
        final FutureTask<Void> task;
        final long timeoutNanos;
        volatile Long startedAt;
        boolean interrupted;

        Probe(Runnable work, long timeoutNanos) {
            this.task = new FutureTask<>(work, null);
            this.timeoutNanos = timeoutNanos;
        }
    }

    private final BundleContext context;
    private final Duration defaultInterval;
    private final Ticker ticker;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** The probe in flight per module, until its thread returns from it (not merely until it is cancelled). */
    private final Map<String, Probe> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor pool;

    HealthProbes(BundleContext context, Duration defaultInterval) {
        this(context, defaultInterval, 8, Ticker.SYSTEM);
    }

    /** @param maxThreads how many probes may run at once, for all modules together */
    HealthProbes(BundleContext context, Duration defaultInterval, int maxThreads, Ticker ticker) {
        this.context = context;
        this.defaultInterval = defaultInterval;
        this.ticker = ticker;
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("outpost-health-check"));
        pool.allowCoreThreadTimeOut(true);
    }

    void close() {
        pool.shutdownNow();
    }

    /** @return how many probe threads are busy now (a seam for tests and diagnostics) */
    int busy() {
        return pool.getActiveCount();
    }

    /**
     * Starts a probe of a running module if one is due and none is in flight.
     *
     * @param kind the module's kind, which prepares its health command where the module runs
     * @return why the module is unhealthy, or null if it is healthy or not known to be unhealthy
     */
    String check(ModuleSpec spec, ModuleInfo info, ModuleKind kind) {
        long now = ticker.nanos();
        State s = states.computeIfAbsent(spec.name(), n -> new State());
        Probe flying = inFlight.get(spec.name());
        if (flying != null) {
            hung(spec.name(), s, flying, now);
            return s.unhealthy;
        }
        HealthProbe probe = spec.healthCheck();
        Duration interval = probe != null && probe.intervalSeconds() > 0 ? Duration.ofSeconds(probe.intervalSeconds())
                : defaultInterval;
        if (s.lastRun != null && !Ticker.elapsed(s.lastRun, now, interval)) {
            return s.unhealthy;
        }
        ProcessBuilder command = probe == null ? null : kind.healthCommand(spec, probe.command());
        if (command != null) {
            start(spec.name(), s, () -> runCommand(probe, command), probe.retries(), TimeUnit.SECONDS.toNanos(
                    probe.timeoutSeconds() + COMMAND_GRACE_SECONDS), now);
        } else if (info.bundleId() >= 0) {
            start(spec.name(), s, () -> askBundle(info.bundleId()), 1, TimeUnit.MILLISECONDS.toNanos(
                    BUNDLE_CHECK_TIMEOUT_MS), now);
        }
        return s.unhealthy;
    }

    private void start(String module, State s, java.util.function.Supplier<String> ask, int retries, long timeout,
            long now) {
        s.lastRun = now;
        Probe[] self = new Probe[1];
        self[0] = new Probe(() -> {
            self[0].startedAt = ticker.nanos();
            try {
                record(module, s, ask.get(), retries);
            } finally {
                inFlight.remove(module, self[0]);
            }
        }, timeout);
        inFlight.put(module, self[0]);
        try {
            pool.execute(self[0].task);
        } catch (RejectedExecutionException e) {
            inFlight.remove(module, self[0]);
        }
    }

    /** A probe in flight past its time makes the module unhealthy, and is interrupted once. */
    private static void hung(String module, State s, Probe p, long now) {
        Long started = p.startedAt;
        if (started == null || now - started < p.timeoutNanos) {
            return;
        }
        String why = "its health check has not returned for " + TimeUnit.NANOSECONDS.toSeconds(now - started) + " s";
        if (s.unhealthy == null || !s.unhealthy.startsWith("its health check has not returned")) {
            LOG.warn("Module {} is unhealthy: {} (no other check of it starts until this one returns)", module, why);
        }
        s.unhealthy = why;
        if (!p.interrupted) {
            p.interrupted = true;
            p.task.cancel(true);
        }
    }

    /** @return why the module was last found unhealthy, or null */
    String unhealthy(String module) {
        State s = states.get(module);
        return s == null ? null : s.unhealthy;
    }

    /**
     * Forgets what is known of a module: after a restart, or when it is not running. A probe of it that is running
     * goes on until it returns (its answer is dropped), and no other starts meanwhile.
     */
    void forget(String module) {
        states.remove(module);
    }

    /** Starts the next probe only after a full interval from now (a module that just started). */
    void restarted(String module) {
        State s = new State();
        s.lastRun = ticker.nanos();
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
