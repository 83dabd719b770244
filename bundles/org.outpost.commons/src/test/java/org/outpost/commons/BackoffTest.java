/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheCapAndStartOverAfterASuccess() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));

        assertThat(backoff.nextDelayMs()).isEqualTo(1000);
        assertThat(backoff.nextDelayMs()).isEqualTo(2000);
        assertThat(backoff.nextDelayMs()).isEqualTo(4000);
        assertThat(backoff.nextDelayMs()).isEqualTo(5000);
        assertThat(backoff.nextDelayMs()).isEqualTo(5000);
        backoff.reset();
        assertThat(backoff.currentDelayMs()).isZero();
        assertThat(backoff.nextDelayMs()).isEqualTo(1000);
    }

    @Test
    void boundsThatMakeNoSenseAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("0 < min <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("min PT2S, max PT1S");
    }
}
