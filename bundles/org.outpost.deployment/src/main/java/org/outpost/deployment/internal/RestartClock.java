/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Duration;
import java.time.Instant;

import org.outpost.manifest.RestartPolicy;

/**
 * IoT Edge's restart rules for one module: a module that is not running is restarted under {@code always} whatever
 * stopped it, under {@code on-unhealthy} when it failed or is unhealthy, and under {@code on-failure} only when it
 * failed (IoT Edge: "on-failure: if the module crashes"; "on-unhealthy: if it crashes or is considered unhealthy");
 * the wait before restart
 * n is min(base x 2^n, cap); after {@code maxRestarts} restarts it is given up; the count resets after
 * {@code resetAfter} of running. A module given up gets a new series of restarts {@code retryAfter} after its last
 * restart (IoT Edge leaves it dead for good, which operators of remote devices complain about). Its times are readings
 * of a {@link Ticker} (monotonic), so that a wall clock stepped forward neither restarts a module early nor resets its
 * count; only {@link #lastRestart()} is wall time, for the status. Not thread-safe: the supervisor owns it.
 */
final class RestartClock {

    /** What to do about a module now. */
    enum Verdict {
        /** It runs (or should not): nothing to do. */
        NONE,
        /** It should be restarted, but its back-off has not passed. */
        BACKOFF,
        /** Restart it now. */
        RESTART,
        /** It will not be restarted: its policy says so, or it used up its restarts. */
        GIVE_UP
    }

    /** Why a module is not running. */
    enum Down {
        STOPPED, FAILED, UNHEALTHY
    }

    private final RestartPolicy policy;
    private final Duration base;
    private final Duration cap;
    private final int maxRestarts;
    private final Duration resetAfter;
    private final Duration retryAfter;
    private int restarts;
    private Long downSince;
    private Long runningSince;
    private Long lastRestart;
    private Instant lastRestartWall;

    /**
     * @param retryAfter how long after its last restart a module given up gets a new series; zero for never
     */
    RestartClock(RestartPolicy policy, Duration base, Duration cap, int maxRestarts, Duration resetAfter,
            Duration retryAfter) {
        this.policy = policy;
        this.retryAfter = retryAfter;
        this.base = base;
        this.cap = cap;
        this.maxRestarts = maxRestarts;
        this.resetAfter = resetAfter;
    }

    /** The module runs (healthy) at {@code now} (a {@link Ticker} reading). */
    void running(long now) {
        downSince = null;
        if (runningSince == null) {
            runningSince = now;
        }
        if (restarts > 0 && Ticker.elapsed(runningSince, now, resetAfter)) {
            restarts = 0;
        }
    }

    /**
     * @param why why it is not running
     * @param now the time, a {@link Ticker} reading
     * @return what to do
     */
    Verdict down(Down why, long now) {
        runningSince = null;
        if (downSince == null) {
            downSince = now;
        }
        boolean restartable = switch (policy) {
            case ALWAYS -> true;
            case ON_FAILURE -> why == Down.FAILED;
            case ON_UNHEALTHY -> why == Down.FAILED || why == Down.UNHEALTHY;
            case NEVER -> false;
        };
        if (!restartable) {
            return Verdict.GIVE_UP;
        }
        if (restarts >= maxRestarts) {
            long since = lastRestart == null ? downSince : lastRestart;
            if (retryAfter.isZero() || !Ticker.elapsed(since, now, retryAfter)) {
                return Verdict.GIVE_UP;
            }
            restarts = 0;
            return Verdict.RESTART;
        }
        return Ticker.elapsed(downSince, now, backoff(restarts)) ? Verdict.RESTART : Verdict.BACKOFF;
    }

    /**
     * A restart was made.
     *
     * @param now when, a {@link Ticker} reading
     * @param wall when, as people read it (the status)
     */
    void restarted(long now, Instant wall) {
        restarts++;
        lastRestart = now;
        lastRestartWall = wall;
        downSince = null;
    }

    /** @return the wait before restart number {@code n} (0-based): min(base x 2^n, cap) */
    Duration backoff(int n) {
        Duration d = base.multipliedBy(1L << Math.min(n, 30));
        return d.compareTo(cap) > 0 || d.isNegative() ? cap : d;
    }

    int restarts() {
        return restarts;
    }

    /** @return when it was last restarted, wall time (for the status), or null */
    Instant lastRestart() {
        return lastRestartWall;
    }

    boolean givenUp() {
        return restarts >= maxRestarts;
    }
}
