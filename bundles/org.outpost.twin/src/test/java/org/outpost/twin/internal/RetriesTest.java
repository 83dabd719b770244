/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RetriesTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final Retries retries = new Retries(Duration.ofSeconds(10), Duration.ofSeconds(30), now::get);

    private void pass(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aKeyThatFailedWaitsItsBackOffDoublingUpToTheMaximumAndOthersGoOn() {
        assertThat(retries.failed("a")).isEqualTo(10_000);
        assertThat(retries.waiting("a")).isTrue();
        assertThat(retries.waiting("b")).isFalse();
        pass(Duration.ofSeconds(10));
        assertThat(retries.waiting("a")).isFalse();

        assertThat(retries.failed("a")).isEqualTo(20_000);
        assertThat(retries.failed("a")).isEqualTo(30_000);
        assertThat(retries.failed("a")).isEqualTo(30_000);
        pass(Duration.ofSeconds(29));
        assertThat(retries.waiting("a")).isTrue();
    }

    @Test
    void aSuccessOrAClearLetsItGoAtOnceAndStartsItsBackOffAgain() {
        retries.failed("a");
        retries.failed("a");
        retries.succeeded("a");
        assertThat(retries.waiting("a")).isFalse();
        assertThat(retries.failed("a")).isEqualTo(10_000);

        retries.clear();

        assertThat(retries.waiting("a")).isFalse();
    }

    @Test
    void aBackOffThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> new Retries(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("back-off needs 0 < min <= max, not min PT10S, max PT1S");
    }
}
