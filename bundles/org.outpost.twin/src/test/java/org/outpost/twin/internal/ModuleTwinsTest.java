/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.protocol.TwinLimits;
import org.outpost.routing.api.Routing;

class ModuleTwinsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<Map<String, Object>> updates = new CopyOnWriteArrayList<>();
    private final List<Message> routed = new CopyOnWriteArrayList<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
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
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("deviceId", args -> "gw",
                "module", args -> "filter".equals(args[0]) ? Optional.of(new ModuleInfo("filter", "bundle",
                        ModuleState.RUNNING, 3, "1.0.0", true, 0, 0, "")) : Optional.empty(),
                "modules", args -> List.of(new ModuleInfo("filter", "bundle", ModuleState.RUNNING, 3, "1.0.0", true,
                        0, 0, ""), new ModuleInfo("box", "container", ModuleState.RUNNING, -1, "1", true, 0, 0, ""))));
        ModuleServices calls = new ModuleServices(Fakes.fake(BundleContext.class, Map.of("getServiceObjects",
                args -> Fakes.objects(services.get(args[0]), new int[2]))));
        Routing routing = Fakes.fake(Routing.class, Map.of("route", args -> {
            routed.add((Message) args[0]);
            return CompletableFuture.completedFuture(null);
        }));
        ModuleTwins t = new ModuleTwins(runtime, TwinLimits.IOT_HUB, new TwinRepository(dir), applier,
                new TwinNotifier(calls, routing, runtime), new MethodRegistry(calls));
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
        assertThat(t.modules()).containsExactly("filter");
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

        assertThat(t.invoke("filter", "reset", "null").toCompletableFuture().get().status()).isEqualTo(501);
    }
}
