/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.metrics.MetricSeries;

/**
 * The fleet's own series, which the hub samples (device id {@value MetricSeries#FLEET}):
 * <ul>
 * <li>{@code outpost_fleet_devices}, {@code outpost_fleet_devices_connected}, {@code outpost_fleet_devices_disabled}:
 * registered devices, those with a connection now, those disabled;</li>
 * <li>{@code outpost_fleet_modules_failing}: modules gateways report failing now;</li>
 * <li>{@code outpost_fleet_deployments}: deployments;</li>
 * <li>{@code outpost_fleet_deployment_devices{status}}: devices over all deployments by status ({@code targeted},
 * {@code applied}, {@code succeeded}, {@code failed}, {@code pending}), and with the label {@code deployment} the same
 * per deployment.</li>
 * </ul>
 */
final class FleetSample {

    private FleetSample() {
    }

    static List<MetricRepository.Value> of(Fleet.Health health, List<DeploymentStatus> deployments) {
        List<MetricRepository.Value> out = new ArrayList<>();
        gauge(out, "outpost_fleet_devices", Map.of(), health.devices());
        gauge(out, "outpost_fleet_devices_connected", Map.of(), health.connected());
        gauge(out, "outpost_fleet_devices_disabled", Map.of(), health.disabled());
        gauge(out, "outpost_fleet_modules_failing", Map.of(), health.failingModules().size());
        gauge(out, "outpost_fleet_deployments", Map.of(), deployments.size());
        int[] sums = new int[5];
        for (DeploymentStatus d : deployments) {
            int[] counts = {d.targeted().size(), d.applied().size(), d.succeeded().size(), d.failed().size(),
                d.pending().size()};
            for (int i = 0; i < counts.length; i++) {
                sums[i] += counts[i];
                gauge(out, "outpost_fleet_deployment_devices", Map.of("deployment", d.deployment().id(), "status",
                        STATUSES[i]), counts[i]);
            }
        }
        for (int i = 0; i < sums.length; i++) {
            gauge(out, "outpost_fleet_deployment_devices", Map.of("status", STATUSES[i]), sums[i]);
        }
        return out;
    }

    private static final String[] STATUSES = {"targeted", "applied", "succeeded", "failed", "pending"};

    private static void gauge(List<MetricRepository.Value> out, String name, Map<String, String> labels, double v) {
        out.add(new MetricRepository.Value(name, labels, MetricSeries.GAUGE, v));
    }
}
