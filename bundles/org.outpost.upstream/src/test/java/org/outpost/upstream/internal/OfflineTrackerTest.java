/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OfflineTrackerTest {

    private final TestMetrics metrics = new TestMetrics();
    private final AtomicLong now = new AtomicLong();
    private final OfflineTracker tracker = new OfflineTracker(metrics, () -> "gw", now::get);

    @Test
    void eachTimeTheLinkGoesDownCountsOnceAndItsDurationIsRecordedWhenItIsBack() {
        tracker.link(true);
        tracker.link(false);
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        tracker.link(false); // a retry that fails again: the same time offline
        assertThat(metrics.get("edgehub_offline_count_totalid,gw/$edgeHub")).isEqualTo(1);
        assertThat(metrics.get("edgehub_offline_duration_secondsid,gw/$edgeHub")).isZero();

        tracker.link(true);
        tracker.link(true);
        assertThat(metrics.get("edgehub_offline_duration_secondsid,gw/$edgeHub"))
                .isEqualTo(TimeUnit.SECONDS.toNanos(3));

        tracker.link(false);
        assertThat(metrics.get("edgehub_offline_count_totalid,gw/$edgeHub")).isEqualTo(2);
    }
}
