/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.identity.api.ModuleIdentity;

class ModuleTwinClientsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_KEY = FakeIdentities.newKey();

    private final FakeIdentities identities = new FakeIdentities("gw");
    private final List<ModuleInfo> modules = new CopyOnWriteArrayList<>();
    private final List<String> registeredAgain = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    private FakeHub hub;
    private ModuleTwinClients clients;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub("gw", DEVICE_KEY).start(0);
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("modules", args -> List.copyOf(modules)));
        CloudTwins.Config config = FakeHub.config(hub.url(), DEVICE_KEY);
        clients = new ModuleTwinClients(runtime, identities, (module, key, refused) -> new TwinClient("gw", module,
                key, config, new TwinClient.Handler() {
                    @Override
                    public void apply(JsonNode twin) {
                    }

                    @Override
                    public ObjectNode reported() {
                        return JSON.createObjectNode();
                    }

                    @Override
                    public boolean refused() {
                        refused.run();
                        return true;
                    }
                }, TwinClient.NONE, JSON, worker, Runnable::run), registeredAgain::add, Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    @AfterEach
    void stop() throws Exception {
        worker.submit(clients::close).get();
        worker.shutdownNow();
        hub.close();
    }

    private void sync() throws Exception {
        worker.submit(clients::sync).get();
    }

    private static ModuleInfo module(String name, long bundleId) {
        return new ModuleInfo(name, bundleId >= 0 ? "bundle" : "process", ModuleState.RUNNING, bundleId, "1", true, 0,
                0, "");
    }

    /** What the hub and the identity registration do for a module: the hub holds its key, the identity says so. */
    private void registerAtHub(String module) {
        ModuleIdentity id = identities.create(module);
        hub.keys.put("gw/" + module, id.primaryKey());
        identities.registeredAtHub(module, id.generationId());
    }

    @Test
    void everyModuleOfTheRuntimeConnectsAsItselfWithItsOwnPrimaryKey() throws Exception {
        modules.add(module("filter", 3));
        modules.add(module("box", -1));
        registerAtHub("filter");
        registerAtHub("box");

        sync();

        await().until(() -> hub.connected("gw/filter") && hub.connected("gw/box"));
        assertThat(hub.connects).containsExactlyInAnyOrder("gw/filter accepted", "gw/box accepted");
        assertThat(hub.keys.get("gw/box")).isNotEqualTo(DEVICE_KEY).isNotEqualTo(hub.keys.get("gw/filter"));
    }

    @Test
    void aModuleWithoutAnIdentityIsGivenOneAndConnectsOnlyOnceTheHubHoldsIt() throws Exception {
        modules.add(module("dropped-in", 7));

        sync();
        sync();

        ModuleIdentity made = identities.identity("dropped-in").orElseThrow();
        assertThat(made.registered()).isFalse();
        assertThat(clients.client("dropped-in")).isEmpty();
        assertThat(hub.connects).isEmpty();
        hub.keys.put("gw/dropped-in", made.primaryKey());
        identities.registeredAtHub("dropped-in", made.generationId());

        sync();

        await().until(() -> hub.connected("gw/dropped-in"));
        assertThat(hub.connects).containsExactly("gw/dropped-in accepted");
        assertThat(identities.identity("dropped-in").orElseThrow().generationId()).isEqualTo(made.generationId());
    }

    @Test
    void aModuleMadeAnewReconnectsWithItsNewKeyAndAModuleGoneIsClosed() throws Exception {
        modules.add(module("box", -1));
        registerAtHub("box");
        sync();
        await().until(() -> hub.connected("gw/box"));

        identities.delete("box");
        registerAtHub("box");
        sync();

        await().until(() -> hub.connects.size() == 2);
        assertThat(hub.connects).containsExactly("gw/box accepted", "gw/box accepted");
        modules.clear();
        sync();
        assertThat(clients.client("box")).isEmpty();
        await().until(() -> !hub.connected("gw/box"));
    }

    @Test
    void aModuleThatCannotHaveAnIdentityHasNoTwinAtTheHubAndTheOthersGoOn() throws Exception {
        identities.invalid.add("odd");
        modules.add(module("odd", 4));
        modules.add(module("box", -1));
        registerAtHub("box");

        sync();
        sync();

        assertThat(identities.identity("odd")).isEmpty();
        assertThat(clients.client("odd")).isEmpty();
        await().until(() -> hub.connected("gw/box"));
    }

    @Test
    void aModuleTheHubRefusesAllTheSameIsRegisteredAgainAndTriesOnlyAfterABackOff() throws Exception {
        modules.add(module("box", -1));
        ModuleIdentity id = identities.create("box");
        identities.registeredAtHub("box", id.generationId()); // by our books; the hub lost it

        sync();

        await().until(() -> registeredAgain.contains("box"));
        assertThat(hub.connects).containsExactly("gw/box refused");
        assertThat(clients.client("box")).isEmpty();
        // The hub holds it again; the periodic sync does not reconnect before the back-off (2 s here), then does.
        hub.keys.put("gw/box", id.primaryKey());
        sync();
        assertThat(clients.client("box")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sync();
            return hub.connected("gw/box");
        });
        assertThat(hub.connects).containsExactly("gw/box refused", "gw/box accepted");
        assertThat(registeredAgain).containsExactly("box");
    }
}
