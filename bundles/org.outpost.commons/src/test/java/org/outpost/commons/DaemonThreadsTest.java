/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void threadsAreDaemonsNamedForTheirWork() {
        Thread single = DaemonThreads.named("outpost-router").newThread(() -> { });
        ThreadFactory pool = DaemonThreads.numbered("outpost-module-method");
        Thread first = pool.newThread(() -> { });
        Thread second = pool.newThread(() -> { });

        assertThat(single.isDaemon()).isTrue();
        assertThat(single.getName()).isEqualTo("outpost-router");
        assertThat(first.getName()).isEqualTo("outpost-module-method-1");
        assertThat(second.getName()).isEqualTo("outpost-module-method-2");
        assertThat(second.isDaemon()).isTrue();
    }
}
