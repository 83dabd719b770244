/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class AuthLimiterTest {

    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void anAddressThatFailsTooOftenWaitsUntilItsOldestFailureLeavesTheWindow() {
        AuthLimiter limiter = new AuthLimiter(3, Duration.ofSeconds(60), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blocked("10.0.0.9")).isZero();
            limiter.failed("10.0.0.9");
            now = now.plusSeconds(10);
        }
        // Failures at 0, 10 and 20 s; now 30 s: blocked until 60 s.
        assertThat(limiter.blocked("10.0.0.9")).isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.blocked("10.0.0.8")).as("other addresses are not affected").isZero();
        now = now.plusSeconds(30);
        assertThat(limiter.blocked("10.0.0.9")).isZero();
    }

    @Test
    void anAddressIsForgottenOnceItsLastFailureLeftTheWindow() {
        AuthLimiter limiter = new AuthLimiter(3, Duration.ofSeconds(60), clock);
        for (int i = 0; i < 1000; i++) {
            limiter.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(limiter.size()).isEqualTo(1000);
        now = now.plusSeconds(61);
        limiter.failed("10.9.9.9");
        assertThat(limiter.size()).as("only the address that failed within the window").isEqualTo(1);
    }

    @Test
    void aFloodFromManyAddressesKeepsTheMemoryBoundedAndForgetsTheOldestFirst() {
        AuthLimiter limiter = new AuthLimiter(2, Duration.ofSeconds(60), clock, 100);
        limiter.failed("10.0.0.1");
        limiter.failed("10.0.0.1");
        now = now.plusSeconds(1);
        for (int i = 0; i < 100_000; i++) {
            limiter.failed("172.16." + (i / 256 % 256) + "." + (i % 256) + "/" + i);
        }
        assertThat(limiter.size()).isEqualTo(100);
        assertThat(limiter.blocked("10.0.0.1")).as("the oldest was forgotten").isZero();
        assertThat(limiter.blocked("172.16.134.159/99999")).isZero();
        limiter.failed("172.16.134.159/99999");
        assertThat(limiter.blocked("172.16.134.159/99999")).isEqualTo(Duration.ofSeconds(60));
    }
}
