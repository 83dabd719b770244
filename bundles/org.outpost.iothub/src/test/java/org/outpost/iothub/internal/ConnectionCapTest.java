/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConnectionCapTest {

    private final ConnectionCap cap = new ConnectionCap(2, 3, "etc/test.cfg", System::nanoTime);

    @Test
    void anAddressOverItsCapIsRefusedAndCountedWhileOthersGetIn() {
        Optional<Runnable> first = cap.admit("10.0.0.1");
        Optional<Runnable> second = cap.admit("10.0.0.1");

        assertThat(cap.admit("10.0.0.1")).isEmpty();
        assertThat(cap.admit("10.0.0.2")).isPresent();
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(cap.refused()).isEqualTo(1);
        assertThat(cap.open()).isEqualTo(3);
    }

    @Test
    void theOverallCapRefusesEveryAddressUntilAConnectionCloses() {
        Runnable a = cap.admit("10.0.0.1").orElseThrow();
        cap.admit("10.0.0.2").orElseThrow();
        cap.admit("10.0.0.3").orElseThrow();

        assertThat(cap.admit("10.0.0.4")).isEmpty();
        a.run();
        assertThat(cap.admit("10.0.0.4")).isPresent();
        assertThat(cap.refused()).isEqualTo(1);
    }

    @Test
    void aClosedConnectionIsUncountedOnceHoweverOftenItsReleaseRuns() {
        Runnable first = cap.admit("10.0.0.1").orElseThrow();
        cap.admit("10.0.0.1").orElseThrow();

        first.run();
        first.run();

        assertThat(cap.open()).isEqualTo(1);
        assertThat(cap.admit("10.0.0.1")).isPresent();
        assertThat(cap.admit("10.0.0.1")).as("two are open again").isEmpty();
    }
}
