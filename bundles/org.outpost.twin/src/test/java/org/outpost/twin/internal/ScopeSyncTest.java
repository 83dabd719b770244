/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.downstream.api.ChildScope;
import org.outpost.protocol.DeviceScope;

/** The device scope over a real MQTT connection of $edgeHub to a fake hub, which the test answers for. */
class ScopeSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_KEY = FakeIdentities.newKey();
    private static final String AGENT = "gw/$edgeHub";
    private static final String GET = "$outpost/identities/scope/GET/?$rid=";

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<DeviceScope> stored = new CopyOnWriteArrayList<>();
    private volatile ChildScope scope = new ChildScope() {
        @Override
        public Optional<DeviceScope> current() {
            return stored.isEmpty() ? Optional.empty() : Optional.of(stored.get(stored.size() - 1));
        }

        @Override
        public void replace(DeviceScope s) {
            stored.add(s);
        }

        @Override
        public AutoCloseable onChange(Consumer<DeviceScope> listener) {
            return () -> {
            };
        }
    };
    private ScopeSync sync;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private FakeHub hub(int port) throws Exception {
        FakeHub hub = new FakeHub("gw", DEVICE_KEY).start(port);
        closing.add(hub);
        return hub;
    }

    private void connectEdgeHub(String url) throws Exception {
        sync = new ScopeSync(() -> Optional.ofNullable(scope), JSON, Duration.ofSeconds(30));
        TwinClient.Handler nothing = new TwinClient.Handler() {
            @Override
            public void apply(JsonNode twin) {
            }

            @Override
            public ObjectNode reported() {
                return JSON.createObjectNode();
            }
        };
        TwinClient edgeHub = new TwinClient("gw", "$edgeHub", DEVICE_KEY, FakeHub.config(url, DEVICE_KEY), nothing,
                sync, JSON, worker, Runnable::run);
        closing.add(() -> {
            worker.shutdownNow();
            edgeHub.close();
        });
    }

    private static List<String> scopeGets(FakeHub hub) {
        return hub.published.stream().filter(p -> p.startsWith(AGENT + " " + GET)).map(p -> p.substring(
                (AGENT + " " + GET).length()).strip()).toList();
    }

    private static String scopeJson(long version) {
        return new DeviceScope("gw", version, List.of(new DeviceScope.Device("leaf", "gw", true, false,
                "a2V5LWtleS1rZXk=", null, null, null, List.of()))).toJson();
    }

    @Test
    void theScopeIsAskedForAtConnectAndAgainOnceForChangesHeardWhileARequestWaits() throws Exception {
        FakeHub hub = hub(0);
        connectEdgeHub(hub.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> scopeGets(hub).size() == 1);
        String rid = scopeGets(hub).get(0);

        hub.publish(AGENT, "$outpost/identities/scope/changed/?$version=8", "");
        hub.publish(AGENT, "$outpost/identities/scope/changed/?$version=9", "");
        hub.publish(AGENT, "$outpost/identities/res/200/?$rid=" + rid, scopeJson(7));
        await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 1 && scopeGets(hub).size() == 2);
        assertThat(stored.get(0).device("leaf")).isPresent();
        assertThat(stored.get(0).version()).isEqualTo(7);

        hub.publish(AGENT, "$outpost/identities/res/200/?$rid=" + scopeGets(hub).get(1), scopeJson(9));
        await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> scopeGets(hub).size()
                == 2);
    }

    @Test
    void aHubWithoutScopesIsAskedAgainOnlyAtTheNextConnectAndABadScopeIsNotStored() throws Exception {
        FakeHub hub = hub(0);
        connectEdgeHub(hub.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> scopeGets(hub).size() == 1);
        hub.publish(AGENT, "$outpost/identities/res/404/?$rid=" + scopeGets(hub).get(0),
                "{\"message\":\"this server keeps no device scopes\"}");
        hub.publish(AGENT, "$outpost/identities/scope/changed/?$version=2", "");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> scopeGets(hub).size()
                == 1);

        int port = hub.port();
        hub.close();
        closing.remove(hub);
        FakeHub again = hub(port);
        await().atMost(Duration.ofSeconds(15)).until(() -> scopeGets(again).size() == 1);
        again.publish(AGENT, "$outpost/identities/res/200/?$rid=" + scopeGets(again).get(0),
                "{\"deviceId\":\"gw\",\"devices\":[]}");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(stored::isEmpty);
    }

    @Test
    void withoutTheDownstreamBundleNothingIsAskedUntilItsScopeArrives() throws Exception {
        ChildScope later = scope;
        scope = null;
        FakeHub hub = hub(0);
        connectEdgeHub(hub.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.connected(AGENT));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> scopeGets(hub).isEmpty());

        scope = later;
        worker.execute(sync::request);
        await().atMost(Duration.ofSeconds(10)).until(() -> scopeGets(hub).size() == 1);
    }
}
