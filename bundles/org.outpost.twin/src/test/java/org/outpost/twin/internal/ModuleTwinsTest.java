/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.outpost.api.message.Message;
import org.outpost.api.module.DesiredPropertiesListener;
import org.outpost.api.module.MethodHandler;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.protocol.TwinLimits;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.ModuleMethodEndpoint;

class ModuleTwinsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<Map<String, Object>> updates = new CopyOnWriteArrayList<>();
    private final List<Message> routed = new CopyOnWriteArrayList<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final List<String> desiredChanges = new CopyOnWriteArrayList<>();
    private final Map<ServiceReference<?>, Object> services = new HashMap<>();
    private final List<ModuleTwins> made = new ArrayList<>();

    private ModuleTwins twins() throws Exception {
        Configuration c = Fakes.fake(Configuration.class, Map.of("getProperties", args -> null,
                "updateIfDifferent", args -> {
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                    Map<String, Object> m = new HashMap<>();
                    d.keys().asIterator().forEachRemaining(k -> m.put(k, d.get(k)));
                    updates.add(m);
                    return true;
                }));
        ConfigurationAdmin cm = Fakes.fake(ConfigurationAdmin.class, Map.of("getConfiguration", args -> c));
        DesiredApplier applier = new DesiredApplier(module -> new ModuleConfigurations.Target("p",
                Fakes.definition(Fakes.attribute("threshold", AttributeDefinition.DOUBLE, 0))), cm);
        List<ModuleInfo> modules = List.of(new ModuleInfo("filter", "bundle", ModuleState.RUNNING, 3, "1.0.0", true,
                0, 0, ""), new ModuleInfo("box", "container", ModuleState.RUNNING, -1, "1", true, 0, 0, ""));
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("deviceId", args -> "gw",
                "module", args -> modules.stream().filter(m -> m.name().equals(args[0])).findFirst(),
                "modules", args -> modules));
        ModuleServices calls = new ModuleServices(Fakes.fake(BundleContext.class, Map.of("getServiceObjects",
                args -> Fakes.objects(services.get(args[0]), new int[2]))));
        Routing routing = Fakes.fake(Routing.class, Map.of("route", args -> {
            routed.add((Message) args[0]);
            return CompletableFuture.completedFuture(null);
        }));
        ModuleTwins t = new ModuleTwins(runtime, TwinLimits.IOT_HUB, new TwinRepository(dir), applier,
                new TwinNotifier(calls, routing, runtime), new MethodRegistry(calls,
                        module -> ModuleTwins.bundleModule(runtime, module)));
        t.onDesiredChange((module, patch, version) -> desiredChanges.add(module + " " + version + " " + patch));
        made.add(t);
        ServiceReference<DesiredPropertiesListener> ref = Fakes.reference("filter", Map.of());
        services.put(ref, (DesiredPropertiesListener) (patch, version) -> told.add(version + " " + patch));
        t.addListener(ref);
        return t;
    }

    @AfterEach
    void deactivate() {
        made.forEach(ModuleTwins::deactivate);
    }

    private static JsonNode status(ModuleTwins t) throws Exception {
        return JSON.readTree(t.document("filter").reported()).path(ModuleTwins.STATUS_KEY);
    }

    @Test
    void theNextDesiredVersionIsAppliedToldToTheModuleAndItsOutcomeReported() throws Exception {
        // A new twin is at desired version 1, as in IoT Hub: the next is 2.
        ModuleTwins t = twins();

        assertThat(t.desiredPatch("filter", "{\"threshold\": 30}", 2)).isTrue();

        assertThat(updates).containsExactly(Map.of("threshold", 30.0));
        assertThat(status(t).toString()).isEqualTo("{\"lastDesiredVersion\":2,\"lastDesiredStatus\":{\"code\":200,"
                + "\"description\":\"\"}}");
        await().until(() -> told.size() == 1);
        assertThat(told).containsExactly("2 {\"threshold\":30}");
        assertThat(desiredChanges).containsExactly("filter 2 {\"threshold\":30}");
        await().until(() -> routed.size() == 1);
        assertThat(routed.get(0).bodyAsString()).contains("\"lastDesiredVersion\":2");
    }

    @Test
    void aDesiredPatchThatIsNotTheNextVersionIsNotTaken() throws Exception {
        ModuleTwins t = twins();

        assertThat(t.desiredPatch("filter", "{\"threshold\": 30}", 3)).isFalse();

        assertThat(updates).isEmpty();
        assertThat(t.document("filter").desiredVersion()).isEqualTo(1);
    }

    @Test
    void desiredPropertiesThatDoNotFitAreRefusedAndTheModuleKeepsWhatItHad() throws Exception {
        ModuleTwins t = twins();
        t.desiredWhole("filter", "{\"threshold\": 30, \"$version\": 1}", 1);

        t.desiredWhole("filter", "{\"threshold\": \"hot\", \"$version\": 2}", 2);

        assertThat(updates).hasSize(1);
        assertThat(status(t).path("lastDesiredVersion").asLong()).isEqualTo(2);
        assertThat(status(t).path("lastDesiredStatus").toString()).isEqualTo("{\"code\":400,\"description\":"
                + "\"desired.threshold: \\\"hot\\\" is not a number\"}");
        assertThat(t.document("filter").desiredVersion()).isEqualTo(2);
    }

    @Test
    void theSameDesiredVersionReadAgainIsNotAppliedAgain() throws Exception {
        ModuleTwins t = twins();
        t.desiredWhole("filter", "{\"threshold\": 30}", 4);
        long reported = t.document("filter").reportedVersion();

        t.desiredWhole("filter", "{\"threshold\": 30}", 4);

        assertThat(updates).hasSize(1);
        assertThat(t.document("filter").reportedVersion()).isEqualTo(reported);
    }

    @Test
    void aReportedPatchIsStoredToldToTheCloudSideAndRouted() throws Exception {
        ModuleTwins t = twins();
        List<String> cloud = new CopyOnWriteArrayList<>();
        t.onReportedChange(cloud::add);

        long version = t.patchReported("filter", "{\"temp\": 21}");

        assertThat(JSON.readTree(t.document("filter").reported()).path("temp").asInt()).isEqualTo(21);
        assertThat(cloud).containsExactly("filter");
        await().until(() -> routed.size() == 1);
        assertThat(routed.get(0).bodyAsString()).isEqualTo("{\"version\":" + version
                + ",\"properties\":{\"reported\":{\"temp\":21}}}");
    }

    @Test
    void onlyModulesOfThisGatewayHaveTwins() throws Exception {
        ModuleTwins t = twins();

        assertThatThrownBy(() -> t.patchReported("ghost", "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no module 'ghost' on this gateway (edge:list shows them)");
        assertThat(t.twin("ghost")).isEmpty();
        assertThat(t.twin("filter")).isPresent();
        assertThat(t.twin("box")).isPresent();
        assertThat(t.modules()).containsExactly("box", "filter");
    }

    @Test
    void twinsAreKeptAcrossARestart() throws Exception {
        twins().desiredWhole("filter", "{\"threshold\": 30}", 4);

        ModuleTwins again = twins();

        assertThat(again.document("filter").desiredVersion()).isEqualTo(4);
        assertThat(status(again).path("lastDesiredVersion").asLong()).isEqualTo(4);
    }

    @Test
    void aMethodCallGoesToTheModulesHandler() throws Exception {
        ModuleTwins t = twins();

        assertThat(t.invoke("filter", "reset", "null", Duration.ofSeconds(5)).toCompletableFuture().get().status())
                .isEqualTo(501);
    }

    @Test
    void aModuleThatIsNotABundleHasItsDesiredPropertiesStoredAndToldToTheEndpointOnly() throws Exception {
        ModuleTwins t = twins();

        assertThat(t.desiredPatch("box", "{\"speed\": \"fast\"}", 2)).isTrue();

        assertThat(desiredChanges).containsExactly("box 2 {\"speed\":\"fast\"}");
        assertThat(updates).isEmpty();
        assertThat(JSON.readTree(t.document("box").desired()).path("speed").asText()).isEqualTo("fast");
        // It owns its reported properties: the gateway adds no status of its own, and routes nothing for it.
        assertThat(JSON.readTree(t.document("box").reported()).has(ModuleTwins.STATUS_KEY)).isFalse();
        assertThat(t.document("box").reportedVersion()).isEqualTo(1);
        assertThat(routed).isEmpty();
    }

    @Test
    void aModuleThatIsNotABundleIsToldOnlyWhatChangedWhenItsTwinIsReadWholeAgain() throws Exception {
        ModuleTwins t = twins();
        t.desiredWhole("box", "{\"speed\": 1, \"mode\": \"a\"}", 3);

        t.desiredWhole("box", "{\"speed\": 1, \"mode\": \"a\"}", 3);
        t.desiredWhole("box", "{\"speed\": 2, \"mode\": \"a\"}", 5);

        assertThat(desiredChanges).containsExactly("box 3 {\"speed\":1,\"mode\":\"a\"}", "box 5 {\"speed\":2}");
        assertThat(t.document("box").desiredVersion()).isEqualTo(5);
        assertThat(t.desiredPatch("box", "{\"mode\": null}", 6)).isTrue();
        assertThat(desiredChanges).last().isEqualTo("box 6 {\"mode\":null}");
    }

    @Test
    void aModuleThatIsNotABundleReportsItselfAndItsPatchIsRouted() throws Exception {
        ModuleTwins t = twins();
        List<String> cloud = new CopyOnWriteArrayList<>();
        t.onReportedChange(cloud::add);

        long version = t.patchReported("box", "{\"rpm\": 900}");

        assertThat(version).isEqualTo(2);
        assertThat(JSON.readTree(t.twin("box").orElseThrow()).path("reported").path("rpm").asInt()).isEqualTo(900);
        assertThat(cloud).containsExactly("box");
        await().until(() -> routed.size() == 1);
        assertThat(routed.get(0).connectionModuleId()).isEqualTo("box");
    }

    @Test
    void aMethodOfAModuleThatIsNotABundleGoesThroughTheEndpointThatServesIt() throws Exception {
        ModuleTwins t = twins();
        ServiceReference<ModuleMethodEndpoint> ref = Fakes.reference("gateway-endpoint", Map.of());
        services.put(ref, new ModuleMethodEndpoint() {
            @Override
            public boolean serves(String module) {
                return module.equals("box");
            }

            @Override
            public CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson,
                    Duration timeout) {
                return CompletableFuture.completedFuture(new MethodHandler.Result(200, "{\"" + method + "\":"
                        + payloadJson + ",\"within\":" + timeout.toSeconds() + "}"));
            }
        });

        assertThat(t.invoke("box", "spin", "7", Duration.ofSeconds(9)).toCompletableFuture().get().status())
                .isEqualTo(404);
        t.addEndpoint(ref);

        assertThat(t.invoke("box", "spin", "7", Duration.ofSeconds(9)).toCompletableFuture().get()).isEqualTo(
                new MethodHandler.Result(200, "{\"spin\":7,\"within\":9}"));
        assertThat(t.invoke("filter", "spin", "7", Duration.ofSeconds(9)).toCompletableFuture().get().status())
                .isEqualTo(501);
    }
}
