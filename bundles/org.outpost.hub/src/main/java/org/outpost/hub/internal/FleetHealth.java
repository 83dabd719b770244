/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.ReportedModule;
import org.outpost.protocol.TwinDocument;

/** The fleet's health for the shell and the REST API, read from the registry and the {@code $edgeAgent} twins. */
@Component(service = Fleet.class)
public final class FleetHealth implements Fleet {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "$edgeAgent";

    private final DeviceStore devices;
    private final TwinStore twins;
    private final Deployments deployments;

    @Activate
    public FleetHealth(@Reference DeviceStore devices, @Reference TwinStore twins,
            @Reference Deployments deployments) {
        this.devices = devices;
        this.twins = twins;
        this.deployments = deployments;
    }

    @Override
    public Health health() {
        int total = 0;
        int connected = 0;
        int disabled = 0;
        List<FailingModule> failing = new ArrayList<>();
        // Every $edgeAgent twin in one read, not one per device (the dashboard asks every two seconds).
        Map<String, TwinDocument> agents = twins.twins(AGENT);
        for (Device d : devices.devices()) {
            total++;
            connected += d.connections() > 0 ? 1 : 0;
            disabled += d.enabled() ? 0 : 1;
            modules(d.id(), agents.getOrDefault(d.id(), TwinDocument.empty())).stream().filter(
                    ReportedModule::failing).forEach(m -> failing.add(new FailingModule(d.id(), m)));
        }
        List<DeploymentStatus> statuses = deployments.deployments();
        List<FailedDeployment> failed = new ArrayList<>();
        for (DeploymentStatus s : statuses) {
            s.failed().forEach((device, reason) -> failed.add(new FailedDeployment(device, s.deployment().id(),
                    reason)));
        }
        failed.sort(Comparator.comparing(FailedDeployment::deviceId).thenComparing(FailedDeployment::deploymentId));
        return new Health(total, connected, disabled, statuses.size(), failing, failed);
    }

    @Override
    public List<ReportedModule> modules(String deviceId) {
        return modules(deviceId, twins.twin(deviceId, AGENT));
    }

    private static List<ReportedModule> modules(String deviceId, TwinDocument agent) {
        try {
            return ReportedModule.of(JSON.readTree(agent.reported()));
        } catch (IOException e) {
            throw new UncheckedIOException("the $edgeAgent twin of " + deviceId + " is not JSON", e);
        }
    }
}
