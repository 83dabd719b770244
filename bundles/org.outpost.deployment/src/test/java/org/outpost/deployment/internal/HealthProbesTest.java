/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.HealthCheck;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class HealthProbesTest {

    private final FakeTime time = new FakeTime(Instant.parse("2026-11-26T10:00:00Z"));
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger asked = new AtomicInteger();
    /** A check that never returns until released, and ignores interrupts as a badly written one does. */
    private final HealthCheck hanging = () -> {
        asked.incrementAndGet();
        while (release.getCount() > 0) {
            try {
                release.await();
            } catch (InterruptedException e) {
                // Swallowed: the thread stays blocked.
            }
        }
        return HealthCheck.Health.HEALTHY;
    };
    private final HealthProbes probes = new HealthProbes(context(hanging), Duration.ofSeconds(5), 2, time);
    private final ModuleSpec pump = Specs.running("pump", ModuleType.BUNDLE);
    private final ModuleInfo info = new ModuleInfo("pump", "bundle", ModuleState.RUNNING, 7, "1.0", true, 0, 0, "");

    @AfterEach
    void close() {
        release.countDown();
        probes.close();
    }

    @Test
    void aHungCheckKeepsOneThreadBusyMakesTheModuleUnhealthyAndNoOtherProbeStarts() {
        assertThat(probes.check(pump, info, new FakeKind())).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 1);

        for (int interval = 1; interval <= 6; interval++) {
            time.advance(Duration.ofSeconds(5));
            probes.check(pump, info, new FakeKind());
        }

        assertThat(asked).hasValue(1);
        assertThat(probes.busy()).isEqualTo(1);
        assertThat(probes.unhealthy("pump")).isEqualTo("its health check has not returned for 30 s");

        // A restart does not start a second probe beside the hung one.
        probes.restarted("pump");
        time.advance(Duration.ofSeconds(10));
        assertThat(probes.check(pump, info, new FakeKind())).isEqualTo("its health check has not returned for 40 s");
        assertThat(asked).hasValue(1);

        // Once it returns, the next check probes again, and its answer stands.
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.busy() == 0);
        probes.check(pump, info, new FakeKind());
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 2 && probes.unhealthy("pump") == null);
    }

    @Test
    void probeThreadsAreBoundedForAllModulesTogetherAndAreNamedDaemons() {
        for (int i = 0; i < 5; i++) {
            ModuleSpec m = Specs.running("m" + i, ModuleType.BUNDLE);
            probes.check(m, new ModuleInfo(m.name(), "bundle", ModuleState.RUNNING, 7, "1.0", true, 0, 0, ""),
                    new FakeKind());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 2);

        assertThat(probes.busy()).isEqualTo(2);
        assertThat(asked).hasValue(2);
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(
                "outpost-health-check-"))).isNotEmpty().allMatch(Thread::isDaemon);
        // A probe waiting for a thread is not hung: the queued modules are not reported unhealthy.
        time.advance(Duration.ofSeconds(60));
        assertThat(probes.check(Specs.running("m4", ModuleType.BUNDLE), info, new FakeKind())).isNull();
    }

    private static BundleContext context(HealthCheck check) {
        ServiceReference<?> ref = Specs.stub(ServiceReference.class, (method, args) -> method.equals("getProperty")
                && Constants.OBJECTCLASS.equals(args[0]) ? new String[] {HealthCheck.class.getName()} : null);
        Bundle bundle = Specs.stub(Bundle.class, (method, args) -> method.equals("getRegisteredServices")
                ? new ServiceReference<?>[] {ref} : null);
        return Specs.stub(BundleContext.class, (method, args) -> switch (method) {
            case "getBundle" -> bundle;
            case "getService" -> check;
            case "ungetService" -> true;
            default -> throw new UnsupportedOperationException(method);
        });
    }
}
