/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;

class ChildTrackerTest {

    private final ChildFakes.Relay relay = new ChildFakes.Relay();
    private final ChildTracker tracker = new ChildTracker(() -> "gw", relay, (child, method, payload, timeout) ->
            CompletableFuture.completedFuture(new MethodResult(200, "{}")), Clock.fixed(Instant.EPOCH,
                    ZoneOffset.UTC));
    private final Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
    private final Identity own = Identity.module("gw", "filter");

    @Test
    void childrenAreCountedPerConnectionAndSinceStartTheGatewaysModulesNot() {
        tracker.connected(leaf, new java.net.InetSocketAddress("127.0.0.1", 5000));
        tracker.connected(own);
        tracker.message(leaf, 10);
        tracker.message(leaf, 5);
        tracker.message(own, 100);

        assertThat(tracker.connected()).singleElement().satisfies(c -> {
            assertThat(c.messagesIn()).isEqualTo(2);
            assertThat(c.bytesIn()).isEqualTo(15);
            assertThat(c.since()).isEqualTo(Instant.EPOCH);
        });
        assertThat(tracker.connectedGauge()).isEqualTo(Map.of(Map.of(), 1.0));
        assertThat(relay.calls).containsExactly("connected leaf CHILD_DEVICE");

        tracker.disconnected(leaf);
        tracker.disconnected(own);
        tracker.connected(leaf);
        tracker.message(leaf, 1);

        assertThat(tracker.connected()).singleElement().satisfies(c -> assertThat(c.messagesIn()).isEqualTo(1));
        assertThat(tracker.messagesCounter()).isEqualTo(Map.of(Map.of("child", "leaf"), 3.0));
        assertThat(relay.calls).containsExactly("connected leaf CHILD_DEVICE", "disconnected leaf",
                "connected leaf CHILD_DEVICE");
    }

    @Test
    void everyClientModuleOrChildIsCountedAsEdgeHubCountsItsClients() {
        tracker.connected(leaf);
        tracker.connected(own, new java.net.InetSocketAddress("127.0.0.1", 5001));
        assertThat(tracker.clientsGauge()).isEqualTo(Map.of(Map.of(), 2.0));

        tracker.disconnected(own);
        tracker.connected(own);

        assertThat(tracker.clientsGauge()).isEqualTo(Map.of(Map.of(), 2.0));
        assertThat(tracker.connectionsCounter(false)).isEqualTo(Map.of(Map.of("id", "leaf"), 1.0,
                Map.of("id", "gw/filter"), 2.0));
        assertThat(tracker.connectionsCounter(true)).isEqualTo(Map.of(Map.of("id", "gw/filter"), 1.0));
    }
}
