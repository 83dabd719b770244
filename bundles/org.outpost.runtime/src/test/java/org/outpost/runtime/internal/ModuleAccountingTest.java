/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleOwner;
import org.outpost.api.runtime.ModuleResources.Measurement;
import org.outpost.api.runtime.ModuleUsage;
import org.outpost.runtime.internal.burner.Burner;

/** Per-module accounting with the JVM's real thread clocks and real threads and processes. */
class ModuleAccountingTest {

    private static final long MS = 1_000_000;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private ModuleAccounting accounting = new ModuleAccounting(null, metrics, config(true), false);

    static Ingress.Config config(boolean enabled) {
        Ingress.Config defaults = org.outpost.api.config.ConfigValues.defaults(Ingress.Config.class);
        return (Ingress.Config) java.lang.reflect.Proxy.newProxyInstance(Ingress.Config.class.getClassLoader(),
                new Class<?>[] {Ingress.Config.class}, (p, m, args) -> m.getName().equals("accounting_enabled")
                        ? enabled : m.invoke(defaults, args));
    }

    @AfterEach
    void stop() {
        accounting.deactivate();
    }

    private double cpuOf(String module) {
        return accounting.sampleNow().modules().stream().filter(u -> u.module().equals(module))
                .mapToDouble(ModuleUsage::cpuSeconds).findFirst().orElse(0);
    }

    @Test
    void aMeasuredCallCountsForItsModuleAndNotForAnother() {
        try (Measurement m = accounting.measure("filter")) {
            Burner.burn(200 * MS);
        }
        accounting.measure("sensor").close();

        assertThat(cpuOf("filter")).isGreaterThanOrEqualTo(0.2);
        assertThat(cpuOf("sensor")).isLessThan(0.01);
        ModuleUsage filter = accounting.usage("filter").orElseThrow();
        assertThat(filter.source()).isEqualTo(ModuleUsage.JVM);
        assertThat(filter.allocatedBytes()).isPositive();
        assertThat(metrics.value("edgeAgent_module_cpu_seconds_total", "filter")).isGreaterThanOrEqualTo(0.2);
        assertThat(metrics.types).containsEntry("edgeAgent_module_cpu_seconds_total", "counter")
                .containsEntry("edgeAgent_used_cpu_percent", "gauge");
    }

    @Test
    void aCallInsideAMeasuredCallCountsOnceForTheOuterModule() {
        try (Measurement outer = accounting.measure("filter")) {
            try (Measurement inner = accounting.measure("sensor")) {
                Burner.burn(150 * MS);
            }
        }

        assertThat(cpuOf("filter")).isGreaterThanOrEqualTo(0.15);
        assertThat(cpuOf("sensor")).isLessThan(0.01);
    }

    @Test
    void aThreadFromTheModulesFactoryIsAllItsOwnAndKeepsItsTimeWhenItEnds() throws Exception {
        ModuleThreads threads = new ModuleThreads(accounting);
        Burner burner = new Burner(250 * MS);
        Thread t = threads.factory("sensor").newThread(burner);
        t.start();
        burner.awaitBurnt();

        assertThat(cpuOf("sensor")).isGreaterThanOrEqualTo(0.25);
        assertThat(accounting.usage("sensor").orElseThrow().threads()).isEqualTo(1);
        burner.release();
        t.join();
        assertThat(cpuOf("sensor")).isGreaterThanOrEqualTo(0.25);
        assertThat(accounting.usage("sensor").orElseThrow().threads()).isZero();
    }

    @Test
    void aCallMeasuredOnAThreadTheModuleOwnsIsNotCountedTwice() throws Exception {
        ModuleThreads threads = new ModuleThreads(accounting);
        Thread t = threads.factory("sensor").newThread(() -> {
            try (Measurement m = accounting.measure("sensor")) {
                Burner.burn(200 * MS);
            }
        });
        t.start();
        t.join();
        // Not sampled while it ran: what the thread used after its last sample is lost, and nothing was measured.
        assertThat(cpuOf("sensor")).isLessThan(0.05);
    }

    @Test
    void aThreadAModuleStartedItselfIsTheModulesByThePackageItStartedIn() throws Exception {
        accounting.packages().add("filter", 42, Set.of(Burner.class.getPackageName()));
        Burner burner = new Burner(200 * MS);
        Thread t = new Thread(burner, "not-from-the-factory");
        t.start();
        burner.awaitBurnt();

        assertThat(cpuOf("filter")).isGreaterThanOrEqualTo(0.2);
        burner.release();
        t.join();
        accounting.packages().remove(42);
        Burner other = new Burner(50 * MS);
        Thread t2 = new Thread(other);
        t2.start();
        other.awaitBurnt();
        // Its bundle is gone: a thread started in the package now is nobody's.
        assertThat(accounting.sampleNow().modules()).extracting(ModuleUsage::module).containsOnly("filter");
        other.release();
        t2.join();
    }

    @Test
    void offNothingIsMeasuredOrSampled() throws Exception {
        accounting.deactivate();
        accounting = new ModuleAccounting(null, metrics, config(false), false);
        ModuleThreads threads = new ModuleThreads(accounting);
        try (Measurement m = accounting.measure("filter")) {
            Burner.burn(50 * MS);
        }
        Burner burner = new Burner(50 * MS);
        Thread t = threads.factory("sensor").newThread(burner);
        t.start();
        burner.awaitBurnt();

        assertThat(accounting.sampleNow().modules()).isEmpty();
        burner.release();
        t.join();
    }

    @Test
    void aProcessModuleIsSampledFromTheOperatingSystemWithItsChildren() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
        try {
            accounting.bindOwner(new ModuleOwner() {
                @Override
                public boolean manages(String module) {
                    return module.equals("spinner");
                }

                @Override
                public Map<String, Long> processes() {
                    return Map.of("spinner", p.pid());
                }
            });
            // The runtime working for it (the MQTT bridge sending its messages) is not a line of its own.
            try (Measurement bridge = accounting.measure("spinner")) {
                Burner.burn(10 * MS);
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                List<ModuleUsage> lines = accounting.sampleNow().modules().stream().filter(m -> m.module().equals(
                        "spinner")).toList();
                assertThat(lines).hasSize(1);
                ModuleUsage u = lines.get(0);
                assertThat(u.source()).isEqualTo(ModuleUsage.OS);
                assertThat(u.threads()).isEqualTo(2);
                assertThat(u.cpuSeconds()).isGreaterThan(0.2);
                assertThat(u.cpuPercent()).isGreaterThan(100.0 / Runtime.getRuntime().availableProcessors() / 2);
            });
            if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status"))) {
                assertThat(metrics.value("edgeAgent_used_memory_bytes", "spinner")).isPositive();
                assertThat(metrics.value("edgeAgent_used_memory_bytes", "host")).isPositive();
                assertThat(metrics.value("edgeAgent_total_memory_bytes", "host")).isPositive();
            }
            assertThat(metrics.value("edgeAgent_created_pids_total", "spinner")).isEqualTo(2.0);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void packagesAreTheDirectoriesOfClassEntries() {
        assertThat(ModulePackages.packagesOf(List.of("/org/acme/Foo.class", "org/acme/x/Bar.class",
                "OSGI-INF/a.xml", "Top.class"))).containsExactlyInAnyOrder("org.acme", "org.acme.x");
    }
}
