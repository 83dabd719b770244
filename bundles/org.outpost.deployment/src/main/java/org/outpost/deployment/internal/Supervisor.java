/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.RestartPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps deployed modules running as their restart policies say: each look ({@link #tick}) finds which modules that
 * should run do not (stopped, failed, unhealthy), and restarts them when their {@link RestartClock} says so. Its own
 * view of a module ({@code backoff}, {@code unhealthy}, {@code failed}, {@code dead}) overrides the runtime state in
 * the status.
 * <p>
 * It never waits for a deployment: each tick looks at the running deployment as it is then, and skips the modules a
 * deployment holds ({@link ModuleClaims}); they are the deployment's until it is done. Intervals are measured on a
 * {@link Ticker} (monotonic); the wall {@link Clock} only stamps restarts for the status. Ticks come from one thread.
 */
final class Supervisor {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    /** The restart rules of the configuration ({@code restart.*}). */
    record Settings(Duration backoff, Duration backoffMax, int maxRestarts, Duration resetAfter, Duration retryAfter) {

        static Settings of(DeploymentConfig config) {
            return new Settings(Duration.ofMillis(config.restart_backoff_ms()), Duration.ofMillis(
                    config.restart_backoff_max_ms()), config.restart_max(), Duration.ofMinutes(
                            config.restart_reset_minutes()), Duration.ofMinutes(config.restart_failed_retry_minutes()));
        }

        RestartClock clock(RestartPolicy policy) {
            return new RestartClock(policy, backoff, backoffMax, maxRestarts, resetAfter, retryAfter);
        }
    }

    private final ModuleKinds kinds;
    private final HealthProbes health;
    private final Settings settings;
    private final Consumer<String> started;
    private final Supplier<DeploymentManifest> running;
    private final ModuleClaims claims;
    private final Ticker ticker;
    private final Clock wall;
    private final Map<String, RestartClock> clocks = new ConcurrentHashMap<>();
    private final Map<String, String> supervised = new ConcurrentHashMap<>();

    /**
     * @param running the deployment that runs now
     * @param claims the modules a deployment holds, which are left alone
     * @param started told the name of each module it started
     * @param ticker the time for intervals
     * @param wall the time for the status
     */
    Supervisor(ModuleKinds kinds, HealthProbes health, Settings settings, Supplier<DeploymentManifest> running,
            ModuleClaims claims, Consumer<String> started, Ticker ticker, Clock wall) {
        this.kinds = kinds;
        this.health = health;
        this.settings = settings;
        this.running = running;
        this.claims = claims;
        this.started = started;
        this.ticker = ticker;
        this.wall = wall;
    }

    /** Looks at every module of the running deployment that no deployment holds, and restarts those that are due. */
    void tick() {
        for (ModuleSpec spec : running.get().modules().values()) {
            if (!claims.trySupervise(spec, running)) {
                continue;
            }
            try {
                tick(spec, ticker.nanos());
            } finally {
                claims.doneSupervising(spec.name());
            }
        }
    }

    private void tick(ModuleSpec spec, long now) {
        if (spec.status() != DesiredStatus.RUNNING) {
            supervised.remove(spec.name());
            return;
        }
        ModuleKind kind = kinds.of(spec);
        if (kind == null) {
            return;
        }
        RestartClock clock = clocks.computeIfAbsent(spec.name(), n -> settings.clock(spec.restartPolicy()));
        String dead = kind.deadReason(spec);
        if (dead != null) {
            revive(spec, kind, dead, clock, now);
            return;
        }
        ModuleInfo info = kind.info(spec);
        if (info == null || info.state() == ModuleState.UNKNOWN) {
            return;
        }
        if (info.state() == ModuleState.PULLING) {
            // Not down: it starts when its image is there.
            supervised.remove(spec.name());
            return;
        }
        look(spec, kind, info, clock, now);
    }

    private void look(ModuleSpec spec, ModuleKind kind, ModuleInfo info, RestartClock clock, long now) {
        RestartClock.Down why;
        String sick = null;
        if (info.state() == ModuleState.RUNNING) {
            sick = health.check(spec, info, kind);
            if (sick == null) {
                clock.running(now);
                supervised.remove(spec.name());
                return;
            }
            why = RestartClock.Down.UNHEALTHY;
        } else {
            health.forget(spec.name());
            why = info.state() == ModuleState.FAILED ? RestartClock.Down.FAILED : RestartClock.Down.STOPPED;
        }
        switch (clock.down(why, now)) {
            case BACKOFF -> supervised.put(spec.name(), why == RestartClock.Down.UNHEALTHY ? "unhealthy" : "backoff");
            case GIVE_UP -> supervised.put(spec.name(), clock.givenUp() ? "failed"
                    : why == RestartClock.Down.UNHEALTHY ? "unhealthy" : "failed");
            case RESTART -> {
                clock.restarted(now, wall.instant());
                LOG.warn("Restarting module {} ({} restart {} of {}, policy {}): it was {}", spec.name(),
                        why.name().toLowerCase(Locale.ROOT), clock.restarts(), settings.maxRestarts(),
                        spec.restartPolicy().text(), why == RestartClock.Down.UNHEALTHY ? "unhealthy: " + sick
                                : info.reason().isEmpty() ? info.state() : info.reason());
                health.restarted(spec.name());
                try {
                    if (kind.restart(spec)) {
                        started.accept(spec.name());
                    }
                } catch (Exception e) {
                    LOG.warn("Restarting module {} failed: {}", spec.name(), e.toString());
                }
            }
            default -> {
            }
        }
    }

    /**
     * A module removed behind the deployment's back (its bundle uninstalled, its process gone from the engine) counts
     * as crashed: it is put back (its kind installs it again) when its restart policy restarts crashed modules, after
     * the same back-off; otherwise, or once its restarts are used up, it stays dead until deployed again.
     */
    private void revive(ModuleSpec spec, ModuleKind kind, String dead, RestartClock clock, long now) {
        if (!"dead".equals(supervised.put(spec.name(), "dead"))) {
            LOG.error("Module {} is dead: {}", spec.name(), dead);
        }
        if (clock.down(RestartClock.Down.FAILED, now) != RestartClock.Verdict.RESTART) {
            return;
        }
        clock.restarted(now, wall.instant());
        LOG.warn("Putting module {} back (restart {} of {}, policy {}): {}", spec.name(), clock.restarts(),
                settings.maxRestarts(), spec.restartPolicy().text(), dead);
        try {
            if (kind.restart(spec)) {
                started.accept(spec.name());
            }
            supervised.remove(spec.name());
        } catch (Exception e) {
            LOG.warn("Putting module {} back failed: {}", spec.name(), e.toString());
        }
    }

    /** Starts a module's restart statistics afresh (it was changed by a deployment). */
    void forget(String module) {
        clocks.remove(module);
        supervised.remove(module);
    }

    /** @return the supervisor's view of a module (backoff, unhealthy, failed, dead), or null if it has none */
    String view(String module) {
        return supervised.get(module);
    }

    /** @return the module's restart clock, or null if it was not supervised yet */
    RestartClock clock(String module) {
        return clocks.get(module);
    }

    /** @return why the module was last found unhealthy, or null */
    String unhealthy(String module) {
        return health.unhealthy(module);
    }

    void close() {
        health.close();
    }
}
