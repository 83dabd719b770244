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
 * restart (IoT Edge leaves it dead for good, which operators of remote devices complain about). Not thread-safe: the
 * supervisor owns it.
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
    private Instant downSince;
    private Instant runningSince;
    private Instant lastRestart;

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

    /** The module runs (healthy) at {@code now}. */
    void running(Instant now) {
        downSince = null;
        if (runningSince == null) {
            runningSince = now;
        }
        if (restarts > 0 && Duration.between(runningSince, now).compareTo(resetAfter) >= 0) {
            restarts = 0;
        }
    }

    /**
     * @param why why it is not running
     * @param now the time
     * @return what to do
     */
    Verdict down(Down why, Instant now) {
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
            Instant since = lastRestart == null ? downSince : lastRestart;
            if (retryAfter.isZero() || now.isBefore(since.plus(retryAfter))) {
                return Verdict.GIVE_UP;
            }
            restarts = 0;
            return Verdict.RESTART;
        }
        return now.isBefore(downSince.plus(backoff(restarts))) ? Verdict.BACKOFF : Verdict.RESTART;
    }

    /** A restart was made at {@code now}. */
    void restarted(Instant now) {
        restarts++;
        lastRestart = now;
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

    Instant lastRestart() {
        return lastRestart;
    }

    boolean givenUp() {
        return restarts >= maxRestarts;
    }
}
