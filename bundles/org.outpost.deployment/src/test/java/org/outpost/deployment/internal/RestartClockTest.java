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

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

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
        assertThat(c.down(Down.FAILED, T0)).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, T0.plusSeconds(9))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, T0.plusSeconds(10))).isEqualTo(Verdict.RESTART);
        c.restarted(T0.plusSeconds(10));
        assertThat(c.restarts()).isEqualTo(1);
        // Down again at once: now the wait is 20 s.
        assertThat(c.down(Down.FAILED, T0.plusSeconds(11))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, T0.plusSeconds(30))).isEqualTo(Verdict.BACKOFF);
        assertThat(c.down(Down.FAILED, T0.plusSeconds(31))).isEqualTo(Verdict.RESTART);
    }

    @Test
    void policiesDecideWhichDownsAreRestarted() {
        assertThat(clock(RestartPolicy.NEVER).down(Down.FAILED, T0)).isEqualTo(Verdict.GIVE_UP);
        assertThat(clock(RestartPolicy.ON_FAILURE).down(Down.STOPPED, T0)).isEqualTo(Verdict.GIVE_UP);
        assertThat(clock(RestartPolicy.ON_FAILURE).down(Down.FAILED, T0)).isEqualTo(Verdict.BACKOFF);
        // As IoT Edge: on-failure covers crashes only; on-unhealthy covers crashes and failed health checks.
        assertThat(clock(RestartPolicy.ON_FAILURE).down(Down.UNHEALTHY, T0)).isEqualTo(Verdict.GIVE_UP);
        assertThat(clock(RestartPolicy.ON_UNHEALTHY).down(Down.FAILED, T0)).isEqualTo(Verdict.BACKOFF);
        assertThat(clock(RestartPolicy.ON_UNHEALTHY).down(Down.UNHEALTHY, T0)).isEqualTo(Verdict.BACKOFF);
        assertThat(clock(RestartPolicy.ALWAYS).down(Down.STOPPED, T0)).isEqualTo(Verdict.BACKOFF);
    }

    @Test
    void afterTwentyRestartsTheModuleIsGivenUp() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        Instant t = T0;
        for (int i = 0; i < 20; i++) {
            t = t.plus(c.backoff(i));
            c.down(Down.FAILED, t.minus(c.backoff(i)));
            assertThat(c.down(Down.FAILED, t)).isEqualTo(Verdict.RESTART);
            c.restarted(t);
        }
        assertThat(c.down(Down.FAILED, t.plusSeconds(3599))).isEqualTo(Verdict.GIVE_UP);
        assertThat(c.givenUp()).isTrue();

        // An hour after its last restart it gets a new series, which starts from the shortest back-off.
        assertThat(c.down(Down.FAILED, t.plusSeconds(3600))).isEqualTo(Verdict.RESTART);
        assertThat(c.givenUp()).isFalse();
        c.restarted(t.plusSeconds(3600));
        assertThat(c.restarts()).isEqualTo(1);
        assertThat(c.down(Down.FAILED, t.plusSeconds(3601))).isEqualTo(Verdict.BACKOFF);
    }

    @Test
    void withNoRetryAGivenUpModuleStaysDown() {
        RestartClock c = new RestartClock(RestartPolicy.ALWAYS, Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofMinutes(10), Duration.ZERO);
        c.down(Down.FAILED, T0);
        assertThat(c.down(Down.FAILED, T0.plusSeconds(1))).isEqualTo(Verdict.RESTART);
        c.restarted(T0.plusSeconds(1));
        assertThat(c.down(Down.FAILED, T0.plusSeconds(86_400))).isEqualTo(Verdict.GIVE_UP);
    }

    @Test
    void tenMinutesOfRunningResetTheCount() {
        RestartClock c = clock(RestartPolicy.ALWAYS);
        c.down(Down.FAILED, T0);
        c.restarted(T0.plusSeconds(10));
        c.running(T0.plusSeconds(11));
        c.running(T0.plusSeconds(11 + 599));
        assertThat(c.restarts()).isEqualTo(1);
        c.running(T0.plusSeconds(11 + 600));
        assertThat(c.restarts()).isZero();
    }
}
