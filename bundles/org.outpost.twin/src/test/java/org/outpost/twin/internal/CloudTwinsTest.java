/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outpost.api.module.MethodHandler;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.protocol.TwinLimits;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.ModuleMethodEndpoint;

/** The gateway's twins at a hub: the system twins, a bundle module's and a process module's. */
class CloudTwinsTest {

    private static final String DEVICE_KEY = FakeIdentities.newKey();

    @TempDir
    Path dir;
    private final FakeIdentities identities = new FakeIdentities("gw");
    private final Map<ServiceReference<?>, Object> services = new HashMap<>();
    private final List<String> desiredChanges = new CopyOnWriteArrayList<>();
    private final List<org.outpost.downstream.api.HubLink> hubLinks = new CopyOnWriteArrayList<>();
    private FakeHub hub;
    private ModuleTwins twins;
    private CloudTwins cloud;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub("gw", DEVICE_KEY).start(0);
        List<ModuleInfo> modules = List.of(new ModuleInfo("filter", "bundle", ModuleState.RUNNING, 3, "1", false, 0,
                0, ""), new ModuleInfo("box", "process", ModuleState.RUNNING, -1, "1", true, 0, 0, ""));
        EdgeRuntime runtime = Fakes.fake(EdgeRuntime.class, Map.of("deviceId", args -> "gw",
                "modules", args -> modules,
                "module", args -> modules.stream().filter(m -> m.name().equals(args[0])).findFirst()));
        Routing routing = Fakes.fake(Routing.class, Map.of("route", args -> CompletableFuture.completedFuture(null)));
        Configuration c = Fakes.fake(Configuration.class, Map.of("getProperties", args -> null,
                "updateIfDifferent", args -> true));
        ConfigurationAdmin cm = Fakes.fake(ConfigurationAdmin.class, Map.of("getConfiguration", args -> c));
        ModuleServices calls = new ModuleServices(Fakes.fake(BundleContext.class, Map.of("getServiceObjects",
                args -> Fakes.objects(services.get(args[0]), new int[2]))));
        twins = new ModuleTwins(runtime, TwinLimits.IOT_HUB, new TwinRepository(dir),
                new DesiredApplier(module -> new ModuleConfigurations.Target("p", null), cm),
                new TwinNotifier(calls, routing, runtime),
                new MethodRegistry(calls, module -> ModuleTwins.bundleModule(runtime, module)));
        twins.onDesiredChange((module, patch, version) -> desiredChanges.add(module + " " + version + " " + patch));
        Deployer deployer = Fakes.fake(Deployer.class, Map.of("status", args -> new DeploymentStatus(0, null,
                Map.of())));
        cloud = new CloudTwins(deployer, routing, runtime, twins, identities, FakeHub.config(hub.url(),
                DEVICE_KEY), Fakes.fake(BundleContext.class, Map.of("registerService", args -> {
                    hubLinks.add((org.outpost.downstream.api.HubLink) args[1]);
                    return Fakes.fake(org.osgi.framework.ServiceRegistration.class, Map.of("unregister",
                            none -> {
                                hubLinks.clear();
                                return null;
                            }));
                })));
    }

    @Test
    void theTwinsRegisterTheLinkTheChildrensRelayConnectsOverWithoutTheKeyAsAServiceProperty() {
        assertThat(hubLinks).singleElement().satisfies(link -> {
            assertThat(link.url()).isEqualTo(hub.url());
            assertThat(link.deviceId()).isEqualTo("gw");
        });
    }

    @Test
    void aTcpUrlToAHubOffLoopbackIsRefusedUnlessTheNetworkIsDeclaredTrusted() {
        CloudTwins.Config plain = Fakes.fake(CloudTwins.Config.class, Map.of("url", args -> "tcp://hub.example:1885",
                "allow_plain_off_loopback", args -> false));
        CloudTwins.Config trusted = Fakes.fake(CloudTwins.Config.class, Map.of("url",
                args -> "tcp://hub.example:1885", "allow_plain_off_loopback", args -> true));
        CloudTwins.Config tls = Fakes.fake(CloudTwins.Config.class, Map.of("url", args -> "ssl://hub.example:8883",
                "allow_plain_off_loopback", args -> false));

        assertThatThrownBy(() -> CloudTwins.checkUrl(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("org.outpost.twin: the gateway's twins would connect without TLS to hub.example, which is"
                        + " not loopback: in etc/org.outpost.twin.cfg use url = ssl://hub.example:8883 (with tls.ca"
                        + " if its certificate is not from a CA the JVM trusts), or set allow.plain.off.loopback ="
                        + " true if the network is trusted");
        CloudTwins.checkUrl(trusted);
        CloudTwins.checkUrl(tls);
        CloudTwins.checkUrl(FakeHub.config("tcp://127.0.0.1:1885", DEVICE_KEY));
    }

    @AfterEach
    void stop() throws Exception {
        cloud.deactivate();
        twins.deactivate();
        hub.close();
    }

    @Test
    void theSystemTwinsSignWithTheDeviceKeyAndEachModuleWithItsOwnIdentityOnceTheHubHoldsIt() {
        await().until(() -> hub.connected("gw/$edgeAgent") && hub.connected("gw/$edgeHub")
                && hub.connected("gw/filter") && hub.connected("gw/box"));

        // Modules without an identity got one, registered before their twins connected: the hub refused nothing.
        assertThat(hub.connects).allMatch(c -> c.endsWith(" accepted"));
        assertThat(hub.identityRequests).extracting(r -> r.split(" ")[0] + " " + r.split(" ")[1])
                .containsExactlyInAnyOrder("PUT filter", "PUT box");
        assertThat(hub.keys.get("gw/box")).isEqualTo(identities.identity("box").orElseThrow().primaryKey())
                .isNotEqualTo(DEVICE_KEY);
        assertThat(hub.keys.get("gw/filter")).isEqualTo(identities.identity("filter").orElseThrow().primaryKey());
    }

    @Test
    void aProcessModuleGetsItsDesiredPatchReportsItselfAndAnswersMethodsThroughTheEndpoint() {
        ServiceReference<ModuleMethodEndpoint> ref = Fakes.reference("endpoint", Map.of());
        services.put(ref, new ModuleMethodEndpoint() {
            @Override
            public boolean serves(String module) {
                return module.equals("box");
            }

            @Override
            public CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson,
                    Duration timeout) {
                return CompletableFuture.completedFuture(new MethodHandler.Result(200, "{\"spun\":" + payloadJson
                        + "}"));
            }
        });
        twins.addEndpoint(ref);
        await().until(() -> hub.connected("gw/box"));

        hub.publish("gw/box", "$iothub/twin/PATCH/properties/desired/?$version=2", "{\"speed\":3,\"$version\":2}");
        hub.publish("gw/box", "$iothub/methods/POST/spin/?$rid=7", "{\"n\":1}");
        twins.patchReported("box", "{\"rpm\":900}");

        await().until(() -> desiredChanges.contains("box 2 {\"speed\":3}"));
        await().until(() -> hub.published.contains("gw/box $iothub/methods/res/200/?$rid=7 {\"spun\":{\"n\":1}}"));
        await().until(() -> hub.published.stream().anyMatch(p -> p.startsWith(
                "gw/box $iothub/twin/PATCH/properties/reported/") && p.endsWith(" {\"rpm\":900}")));
        // The bundle module's twin says what became of its desired properties; the process module's does not.
        await().until(() -> hub.published.stream().anyMatch(p -> p.startsWith(
                "gw/filter $iothub/twin/PATCH/properties/reported/") && p.contains("\"outpost\"")));
        assertThat(hub.published).noneMatch(p -> p.startsWith("gw/box ") && p.contains("\"outpost\""));
    }
}
