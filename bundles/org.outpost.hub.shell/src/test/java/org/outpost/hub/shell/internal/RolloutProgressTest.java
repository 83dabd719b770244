/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RolloutProgressTest {

    private static final List<String> TARGETED = List.of("gw1", "gw2", "gw3", "gw4");

    @Test
    void theBarShowsSucceededThenAppliedOfTargeted() {
        assertThat(RolloutProgress.bar(1, 2, 4)).isEqualTo("[#####+++++..........]");
        assertThat(RolloutProgress.bar(0, 0, 0)).isEqualTo("[....................]");
        assertThat(RolloutProgress.bar(4, 4, 4)).isEqualTo("[####################]");
    }

    @Test
    void aLineIsPrintedWhenTheCountsChangeAndEachFailureOnce() {
        RolloutProgress p = new RolloutProgress();

        assertThat(p.poll(TARGETED, List.of(), List.of(), Map.of(), List.of(), Duration.ofMillis(100)))
                .containsExactly("[  0.1 s] [....................] applied 0/4, succeeded 0, failed 0, pending 0");
        assertThat(p.poll(TARGETED, List.of(), List.of(), Map.of(), List.of(), Duration.ofMillis(1100))).isEmpty();
        assertThat(p.poll(TARGETED, List.of("gw1", "gw2", "gw3"), List.of("gw1"), Map.of("gw2", "sensor: failed"),
                List.of("gw3"), Duration.ofMillis(2100))).containsExactly("[  2.1 s] [#####++++++++++.....] applied"
                        + " 3/4, succeeded 1, failed 1, pending 1", "          gw2 failed: sensor: failed");
        assertThat(p.poll(TARGETED, List.of("gw1", "gw2", "gw3", "gw4"), List.of("gw1", "gw3", "gw4"), Map.of("gw2",
                "sensor: failed"), List.of(), Duration.ofMillis(3100))).containsExactly("[  3.1 s]"
                        + " [###############+++++] applied 4/4, succeeded 3, failed 1, pending 0");
    }

    @Test
    void aRolloutIsSettledWhenEveryTargetedDeviceSucceededOrFailed() {
        assertThat(RolloutProgress.settled(TARGETED, List.of("gw1", "gw3", "gw4"), Map.of("gw2", "x"))).isTrue();
        assertThat(RolloutProgress.settled(TARGETED, List.of("gw1", "gw3"), Map.of("gw2", "x"))).isFalse();
        assertThat(RolloutProgress.settled(List.of(), List.of(), Map.of())).as("nothing targeted yet").isFalse();
    }
}
