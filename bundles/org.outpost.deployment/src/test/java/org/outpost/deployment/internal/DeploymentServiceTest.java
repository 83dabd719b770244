/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.routing.api.Routing;

class DeploymentServiceTest {

    @TempDir
    Path data;

    @Test
    void aListSettingIsReadFromAnArrayOrFromOneCommaSeparatedValueOfACfgFile() {
        assertThat(DeploymentService.list(new String[] {"podman", "docker"})).containsExactly("podman", "docker");
        assertThat(DeploymentService.list(new String[] {"mvn, file ,https"})).containsExactly("mvn", "file", "https");
        assertThat(DeploymentService.list(new String[] {""})).isEmpty();
    }

    @Test
    void aDeploymentStuckInADownloadDoesNotStopACrashedModuleFromBeingRestarted() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        FakeKind kind = new FakeKind(calls);
        DeploymentService service = service(kind);
        try {
            assertThat(service.deploy(manifest(PUMP), false).code()).isEqualTo(200);
            CountDownLatch downloading = new CountDownLatch(1);
            CountDownLatch repositoryAnswers = new CountDownLatch(1);
            kind.onInstall = spec -> {
                if (spec.name().equals("slow")) {
                    downloading.countDown();
                    try {
                        repositoryAnswers.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            CompletableFuture<DeploymentResult> second = CompletableFuture.supplyAsync(() -> service.deploy(
                    manifest(PUMP + ", " + SLOW), false));
            assertThat(downloading.await(10, TimeUnit.SECONDS)).isTrue();

            kind.states.put("pump", ModuleState.FAILED);

            await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("restart pump"));
            assertThat(second).isNotDone();
            repositoryAnswers.countDown();
            DeploymentResult r = second.get(10, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.description()).isEqualTo(200);
        } finally {
            service.deactivate();
        }
    }

    private static final String PUMP = "\"pump\": {\"type\": \"bundle\", \"settings\": {\"location\":"
            + " \"mvn:org.acme/pump/1.0\"}}";
    private static final String SLOW = "\"slow\": {\"type\": \"bundle\", \"settings\": {\"location\":"
            + " \"mvn:org.acme/slow/1.0\"}}";

    private static String manifest(String modules) {
        return "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {" + modules + "}}}}}";
    }

    @Test
    void theCommandsGivenToModulesAreCountedAndTimedAsEdgeAgentDoes() throws Exception {
        FakeKind kind = new FakeKind();
        RecordingMetrics metrics = new RecordingMetrics();
        DeploymentService service = service(kind, metrics);
        try {
            assertThat(service.deploy(manifest(PUMP), true).code()).isEqualTo(200);
            assertThat(metrics.timings("edgeAgent_deployment_time_seconds")).as("a dry run").isZero();
            assertThat(service.deploy(manifest(PUMP), false).code()).isEqualTo(200);
            service.restart("pump");

            assertThat(metrics.count("edgeAgent_module_start_total", "module_name", "pump", "module_version", ""))
                    .as(metrics.toString()).isEqualTo(2);
            assertThat(metrics.count("edgeAgent_module_stop_total", "module_name", "pump", "module_version", ""))
                    .isEqualTo(1);
            assertThat(metrics.timings("edgeAgent_command_latency_seconds", "command", "create")).isEqualTo(1);
            assertThat(metrics.timings("edgeAgent_command_latency_seconds", "command", "restart")).isEqualTo(1);
            assertThat(metrics.timings("edgeAgent_deployment_time_seconds")).isEqualTo(1);
            // The supervisor's ticks add up the time it was to run and ran.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics.values(
                    "edgeAgent_total_time_running_correctly_seconds").get(Map.of("module_name", "pump")))
                    .isGreaterThan(0.5));
            kind.states.put("pump", ModuleState.STOPPED);
            kind.dead.put("pump", "cannot start: test");
            double running = metrics.values("edgeAgent_total_time_running_correctly_seconds").get(Map.of(
                    "module_name", "pump"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics.values(
                    "edgeAgent_total_time_expected_running_seconds").get(Map.of("module_name", "pump")))
                    .isGreaterThan(running + 1.5));
            assertThat(metrics.values("edgeAgent_total_time_running_correctly_seconds").get(Map.of("module_name",
                    "pump"))).isLessThan(running + 1.5);
            assertThat(metrics.values("edgeAgent_total_disk_space_bytes")).isNotEmpty().allSatisfy((labels, v) -> {
                assertThat(labels).containsOnlyKeys("disk_name", "disk_filesystem", "disk_filetype");
                assertThat(v).isPositive();
            });
            assertThat(metrics.values("edgeAgent_available_disk_space_bytes")).isNotEmpty();
        } finally {
            service.deactivate();
        }
    }

    private DeploymentService service(FakeKind kind) {
        return service(kind, new RecordingMetrics());
    }

    private DeploymentService service(FakeKind kind, RecordingMetrics metrics) {
        BundleContext context = Specs.stub(BundleContext.class, (method, args) -> switch (method) {
            case "getProperty" -> args[0].toString().startsWith("karaf.") ? data.toString() : null;
            default -> throw new UnsupportedOperationException(method);
        });
        DeploymentService service = new DeploymentService(context, new FakeConfigurations().admin(),
                Specs.stub(Routing.class, (method, args) -> null), Specs.stub(EdgeRuntime.class, (m, a) -> null),
                new CurrentDeployment(TestConfig.of(Map.of())), new FakeIdentities(), metrics, config(Map.of(
                        "restart_backoff_ms", 100L, "deployment_file", "", "probation_seconds", 5)));
        service.bindKind(kind, Map.of(ModuleKind.KIND, "bundle"));
        service.activate();
        return service;
    }

    /** @return the configuration's defaults with {@code overrides} (by attribute method name) */
    static DeploymentConfig config(Map<String, Object> overrides) {
        return (DeploymentConfig) Proxy.newProxyInstance(DeploymentServiceTest.class.getClassLoader(),
                new Class<?>[] {DeploymentConfig.class}, (proxy, method, args) -> overrides.containsKey(
                        method.getName()) ? overrides.get(method.getName()) : method.getDefaultValue());
    }
}
