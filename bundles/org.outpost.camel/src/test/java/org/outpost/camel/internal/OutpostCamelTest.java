/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.config.ConfigValues;

class OutpostCamelTest {

    private final OutpostCamel camel;

    OutpostCamelTest() throws Exception {
        camel = new OutpostCamel(new Contexts(null), ConfigValues.defaults(OutpostCamel.Config.class));
    }

    @AfterEach
    void stop() {
        camel.deactivate();
    }

    @Test
    void runsTheRoutesOfABuilderWhileItIsBoundAndRemovesThemAfter() {
        AtomicInteger ticks = new AtomicInteger();
        RouteBuilder builder = new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:tick?period=10").routeId("ticker").process(e -> ticks.incrementAndGet());
            }
        };

        camel.bindRoutesBuilder(builder);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 3);
        assertThat(camel.routeIdsForTest()).containsExactly("ticker");

        camel.unbindRoutesBuilder(builder);
        assertThat(camel.routeIdsForTest()).isEmpty();
    }

    @Test
    void aBuilderWhoseRoutesAreInvalidIsRefusedAndOthersKeepRunning() {
        AtomicInteger ticks = new AtomicInteger();
        camel.bindRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("no-such-component:x").routeId("broken").log("never");
            }
        });
        camel.bindRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:ok?period=10").routeId("ok").process(e -> ticks.incrementAndGet());
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 1);
        assertThat(camel.routeIdsForTest()).containsExactly("ok");
    }
}
