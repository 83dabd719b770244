/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.ReportedModule;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.deployments.EffectiveDesired;

class HubMetricsTest {

    /** The measured values registered, read as Prometheus would. */
    private static final class MeasuredOnly implements Metrics {
        final Map<String, Supplier<Map<Map<String, String>, Double>>> measured = new ConcurrentHashMap<>();

        @Override
        public Counter counter(String name, String... labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Timer timer(String name, String... labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
            measured.put(name, values);
            return () -> measured.remove(name);
        }

        @Override
        public List<MetricSample> samples() {
            return List.of();
        }

        Map<Map<String, String>, Double> read(String name) {
            return measured.get(name).get();
        }
    }

    private final MeasuredOnly metrics = new MeasuredOnly();
    private final AtomicInteger healthReads = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final Fleet fleet = new Fleet() {
        @Override
        public Health health() {
            healthReads.incrementAndGet();
            return new Health(5, 3, 1, 1, List.of(), List.of());
        }

        @Override
        public List<ReportedModule> modules(String deviceId) {
            return List.of();
        }
    };
    private final Deployments deployments = new Deployments() {
        @Override
        public List<DeploymentStatus> deployments() {
            return List.of(new DeploymentStatus(TestDeployments.parse(TestDeployments.base("all", 1, "tags.site = 'a'", "m")),
                    List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), Map.of("b", "module m failed"),
                    List.of()));
        }

        @Override
        public Optional<DeploymentStatus> deployment(String id) {
            return Optional.empty();
        }

        @Override
        public DeploymentStatus create(String json) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeploymentStatus update(String id, String changesJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String id) {
            return false;
        }

        @Override
        public EffectiveDesired applied(String deviceId) {
            return null;
        }

        @Override
        public Map<String, EffectiveDesired> appliedTo(Collection<String> deviceIds) {
            return Map.of();
        }
    };
    private final Telemetry telemetry = new Telemetry() {
        @Override
        public List<Received> recent(String device, int limit) {
            return List.of();
        }

        @Override
        public long received() {
            return 42;
        }

        @Override
        public Instant receivedSince() {
            return Instant.EPOCH;
        }

        @Override
        public AutoCloseable subscribe(Consumer<Received> listener) {
            return () -> { };
        }
    };

    @Test
    void devicesConnectionsIngestAndDeploymentStatesAreMeasured() {
        new HubMetrics(metrics, fleet, deployments, telemetry, now::get);

        assertThat(metrics.read("outpost_hub_devices")).isEqualTo(Map.of(Map.of("status", "enabled"), 4.0,
                Map.of("status", "disabled"), 1.0));
        assertThat(metrics.read("outpost_hub_devices_connected")).isEqualTo(Map.of(Map.of(), 3.0));
        assertThat(metrics.read("outpost_hub_telemetry_messages_total")).isEqualTo(Map.of(Map.of(), 42.0));
        assertThat(metrics.read("outpost_hub_deployment_devices")).containsEntry(Map.of("deployment", "all",
                "status", "targeted"), 3.0).containsEntry(Map.of("deployment", "all", "status", "failed"), 1.0)
                .containsEntry(Map.of("deployment", "all", "status", "succeeded"), 1.0).hasSize(5);
    }

    @Test
    void theFleetIsReadAtMostOnceInTheCachePeriod() {
        new HubMetrics(metrics, fleet, deployments, telemetry, now::get);
        metrics.read("outpost_hub_devices");
        metrics.read("outpost_hub_devices_connected");
        now.addAndGet(TimeUnit.SECONDS.toNanos(HubMetrics.CACHE_SECONDS - 1));
        metrics.read("outpost_hub_devices");
        assertThat(healthReads).hasValue(1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        metrics.read("outpost_hub_devices");
        assertThat(healthReads).hasValue(2);
    }

    @Test
    void theMetricsGoWhenTheComponentDoes() {
        HubMetrics m = new HubMetrics(metrics, fleet, deployments, telemetry, now::get);
        assertThat(metrics.measured).isNotEmpty();
        m.deactivate();
        assertThat(metrics.measured).isEmpty();
    }
}
