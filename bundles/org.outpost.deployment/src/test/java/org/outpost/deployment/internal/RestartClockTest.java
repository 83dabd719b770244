/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.outpost.deployment.internal.RestartClock.Down;
import org.outpost.deployment.internal.RestartClock.Verdict;
import org.outpost.manifest.RestartPolicy;

class RestartClockTest {

    private static final Instant WALL = Instant.parse("2026-11-26T10:00:00Z");
    /** Monotonic readings start anywhere, negative included: only differences count. */
    private static final long T0 = -5_000_000_000L;

    private static long s(long seconds) {
        return T0 + seconds * 1_000_000_000L;
    }

    private static RestartClock clock(RestartPolicy p) {
        return new RestartClock(p, Duration.ofSeconds(10), Duration.ofSeconds(300), 20, Duration.ofMinutes(10),
                Duration.ofMinutes(60));
    }

    @Test
    void backOffDoublesFromTenSecondsUpToFiveMinutes() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        assertThat(c.backoff(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.backoff(1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.backoff(4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(c.backoff(5)).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.backoff(60)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void aFailedModuleWaitsItsBackOffThenRestarts() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        assertThat(c.down(Down.FAILED, s(0))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, s(9))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, s(10))).isEqualTo(Verdict.RESTART);
        c.restarted(s(10), WALL);
        assertThat(c.restarts()).isEqualTo(1);
        // Down again at once: now the wait is 20 s.
        assertThat(c.down(Down.FAILED, s(11))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, s(30))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, s(31))).isEqualTo(Verdict.RESTART);
    }

    @Test
    void policiesDecideWhichDownsAreRestarted() {
        assertThat(clock(RestartPolicy.NEVER).down(Down.FAILED, s(0))).isEqualTo(Verdict.GIVE_UP);
        assertThat(clock(RestartPolicy.ON_FAILURE).down(Down.STOPPED, s(0))).isEqualTo(Verdict.GIVE_UP);
        assertThat(clock(RestartPolicy.ON_FAILURE).down(Down.FAILED, s(0))).isEqualTo(Verdict.BACKOFF);
        // As IoT Edge: on-failure covers crashes only; on-unhealthy covers crashes and failed health checks.
        assertThat(clock(RestartPolicy.ON_FAILURE).down(Down.UNHEALTHY, s(0))).isEqualTo(Verdict.GIVE_UP);
        assertThat(clock(RestartPolicy.ON_UNHEALTHY).down(Down.FAILED, s(0))).isEqualTo(Verdict.BACKOFF);
        assertThat(clock(RestartPolicy.ON_UNHEALTHY).down(Down.UNHEALTHY, s(0))).isEqualTo(Verdict.BACKOFF);
        assertThat(clock(RestartPolicy.ALWAYS).down(Down.STOPPED, s(0))).isEqualTo(Verdict.BACKOFF);
    }

    @Test
    void afterTwentyRestartsTheModuleIsGivenUp() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        long t = T0;
        for (int i = 0; i < 20; i++) {
            t += c.backoff(i).toNanos();
            c.down(Down.FAILED, t - c.backoff(i).toNanos());
            assertThat(c.down(Down.FAILED, t)).isEqualTo(Verdict.RESTART);
            c.restarted(t, WALL);
        }
        assertThat(c.down(Down.FAILED, t + 3599_000_000_000L)).isEqualTo(Verdict.GIVE_UP);
        assertThat(c.givenUp()).isTrue();

        // An hour after its last restart it gets a new series, which starts from the shortest back-off.
        assertThat(c.down(Down.FAILED, t + 3600_000_000_000L)).isEqualTo(Verdict.RESTART);
        assertThat(c.givenUp()).isFalse();
        c.restarted(t + 3600_000_000_000L, WALL);
        assertThat(c.restarts()).isEqualTo(1);
        assertThat(c.down(Down.FAILED, t + 3601_000_000_000L)).isEqualTo(Verdict.BACKOFF);
    }

    @Test
    void withNoRetryAGivenUpModuleStaysDown() {
        RestartClock c = new RestartClock(RestartPolicy.ALWAYS, Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofMinutes(10), Duration.ZERO);
        c.down(Down.FAILED, s(0));
        assertThat(c.down(Down.FAILED, s(1))).isEqualTo(Verdict.RESTART);
        c.restarted(s(1), WALL);
        assertThat(c.down(Down.FAILED, s(86_400))).isEqualTo(Verdict.GIVE_UP);
    }

    @Test
    void tenMinutesOfRunningResetTheCount() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        c.down(Down.FAILED, s(0));
        c.restarted(s(10), WALL);
        c.running(s(11));
        c.running(s(11 + 599));
        assertThat(c.restarts()).isEqualTo(1);
        c.running(s(11 + 600));
        assertThat(c.restarts()).isZero();
    }

    @Test
    void aRestartIsStampedWithWallTimeForTheStatusOnly() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        c.down(Down.FAILED, s(0));
        c.restarted(s(10), WALL);
        assertThat(c.lastRestart()).isEqualTo(WALL);
        // The wall time says nothing about intervals: the next back-off runs from the monotonic readings.
        assertThat(c.down(Down.FAILED, s(11))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, s(31))).isEqualTo(Verdict.RESTART);
    }
}
