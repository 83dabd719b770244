/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.identity.api.ModuleIdentity;

class HubRegistrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_KEY = FakeIdentities.newKey();

    private final FakeIdentities identities = new FakeIdentities("gw");
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger registered = new AtomicInteger();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HubRegistration registration;

    private FakeHub hub(int port) throws Exception {
        FakeHub hub = new FakeHub("gw", DEVICE_KEY).start(port);
        closing.add(hub);
        return hub;
    }

    /** Connects the gateway's $edgeAgent, which registers the identities, to the hub at that URL. */
    private void connectAgent(String url) throws Exception {
        registration = new HubRegistration(identities, JSON, worker, registered::incrementAndGet,
                Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(4));
        TwinClient.Handler nothing = new TwinClient.Handler() {
            @Override
            public void apply(JsonNode twin) {
            }

            @Override
            public ObjectNode reported() {
                return JSON.createObjectNode();
            }
        };
        TwinClient agent = new TwinClient("gw", "$edgeAgent", DEVICE_KEY, FakeHub.config(url, DEVICE_KEY), nothing,
                registration, JSON, worker, Runnable::run);
        closing.add(() -> {
            worker.shutdownNow();
            agent.close();
            registration.close();
        });
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private boolean atHub(String module) {
        return identities.identity(module).map(ModuleIdentity::registered).orElse(false);
    }

    @Test
    void pendingIdentitiesAreRegisteredWhenTheGatewayConnectsWithTheirKeysAndMarkedAsHeld() throws Exception {
        ModuleIdentity filter = identities.create("filter");
        FakeHub hub = hub(0);

        connectAgent(hub.url());

        await().until(() -> atHub("filter"));
        assertThat(hub.identityRequests).hasSize(1);
        String[] request = hub.identityRequests.get(0).split(" ", 3);
        assertThat(request[0] + " " + request[1]).isEqualTo("PUT filter");
        assertThat(JSON.readTree(request[2])).isEqualTo(JSON.createObjectNode()
                .put("generationId", filter.generationId()).put("primaryKey", filter.primaryKey())
                .put("secondaryKey", filter.secondaryKey()));
        assertThat(hub.keys).containsEntry("gw/filter", filter.primaryKey());
        assertThat(registered).hasValue(1);
        assertThat(identities.pending().isEmpty()).isTrue();
    }

    @Test
    void anIdentityMadeWhileConnectedIsRegisteredAtOnce() throws Exception {
        FakeHub hub = hub(0);
        connectAgent(hub.url());
        await().until(() -> hub.connected("gw/$edgeAgent"));

        identities.create("sensor");

        await().until(() -> atHub("sensor"));
        assertThat(hub.identityRequests).singleElement().asString().startsWith("PUT sensor ");
    }

    @Test
    void deletedIdentitiesAreDeletedAtTheHubAndOneTheHubNeverHeldCountsAsDeleted() throws Exception {
        FakeHub hub = hub(0);
        identities.create("kept");
        identities.create("gone");
        connectAgent(hub.url());
        await().until(() -> atHub("kept") && atHub("gone"));
        hub.keys.remove("gw/gone");

        identities.delete("kept");
        identities.delete("gone");

        await().until(() -> identities.pending().isEmpty());
        assertThat(hub.identityRequests.subList(2, 4)).containsExactlyInAnyOrder("DELETE kept", "DELETE gone");
        assertThat(hub.keys).doesNotContainKey("gw/kept");
    }

    @Test
    void aRefusalIsNotAskedAgainBeforeItsBackOffWhileOtherIdentitiesGoOn() throws Exception {
        FakeHub hub = hub(0);
        hub.refuseIdentities(403, "{\"message\":\"gw may not register modules\"}");
        identities.create("first");
        connectAgent(hub.url());
        await().until(() -> hub.identityRequests.size() == 1);

        // What the periodic tick and identity changes do meanwhile: nothing for the refused one.
        for (int i = 0; i < 3; i++) {
            worker.submit(registration::sendPending).get();
        }
        hub.refuseIdentities(0, null);
        identities.create("second");

        await().until(() -> atHub("second"));
        assertThat(atHub("first")).isFalse();
        assertThat(hub.identityRequests).hasSize(2);
        assertThat(hub.identityRequests.get(1)).startsWith("PUT second ");
        // After the back-off (2 s here) it is asked again, and taken now.
        await().atMost(Duration.ofSeconds(10)).until(() -> atHub("first"));
        assertThat(hub.identityRequests).hasSize(3);
        assertThat(hub.identityRequests.get(2)).startsWith("PUT first ");
    }

    @Test
    void anIdentityMadeWhileTheHubIsAwayIsRegisteredWhenItIsBack() throws Exception {
        FakeHub away = new FakeHub("gw", DEVICE_KEY).start(0);
        int port = away.port();
        away.close();
        connectAgent("tcp://127.0.0.1:" + port);
        worker.submit(() -> { }).get(); // its first connect was refused

        identities.create("late");
        worker.submit(() -> { }).get(); // nothing to send it on
        assertThat(atHub("late")).isFalse();
        FakeHub hub = hub(port);

        await().atMost(Duration.ofSeconds(20)).until(() -> atHub("late"));
        assertThat(hub.identityRequests).singleElement().asString().startsWith("PUT late ");
    }

    @Test
    void anIdentityTheHubLostIsRegisteredAgainWhenAsked() throws Exception {
        FakeHub hub = hub(0);
        identities.create("box");
        connectAgent(hub.url());
        await().until(() -> atHub("box"));
        hub.keys.remove("gw/box");

        worker.submit(() -> registration.registerAgain("box")).get();

        await().until(() -> hub.keys.containsKey("gw/box"));
        assertThat(hub.identityRequests).hasSize(2).allMatch(r -> r.startsWith("PUT box "));
        assertThat(registered).hasValue(2);
    }

    @Test
    void aRequestTheHubLeavesUnansweredIsAskedAgainAfterABackOffNotAtEachTick() throws Exception {
        FakeHub hub = hub(0);
        hub.refuseIdentities(-1, null); // a hub that drops them
        identities.create("box");
        connectAgent(hub.url());
        await().until(() -> hub.identityRequests.size() == 1);
        long first = System.nanoTime();
        hub.refuseIdentities(0, null);

        // The periodic tick: after 300 ms unanswered, then 2 s of back-off, it is asked again.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            worker.submit(registration::sendPending).get();
            return atHub("box");
        });

        assertThat(hub.identityRequests).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - first)).isGreaterThan(Duration.ofMillis(2300));
    }
}
