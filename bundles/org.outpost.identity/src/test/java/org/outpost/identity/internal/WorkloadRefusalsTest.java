/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class WorkloadRefusalsTest {

    private final AtomicLong now = new AtomicLong();
    private final WorkloadRefusals refusals = new WorkloadRefusals(Duration.ofSeconds(60), now::get);

    @Test
    void aRefusalIsLoggedOnceAPeriodPerModuleAndStatus() {
        assertThat(refusals.refused("filter", 403, "not as sensor")).isTrue();
        assertThat(refusals.refused("filter", 403, "not as sensor")).isFalse();
        assertThat(refusals.refused("filter", 400, "bad body")).as("another status").isTrue();
        assertThat(refusals.refused("sensor", 403, "not as filter")).as("another module").isTrue();

        now.addAndGet(Duration.ofSeconds(60).toNanos());

        assertThat(refusals.refused("filter", 403, "not as sensor")).as("a period later").isTrue();
    }

    @Test
    void aForgottenModuleIsLoggedAgainAtOnce() {
        refusals.refused("filter", 403, "not as sensor");

        refusals.forget("filter");

        assertThat(refusals.refused("filter", 403, "not as sensor")).isTrue();
    }
}
