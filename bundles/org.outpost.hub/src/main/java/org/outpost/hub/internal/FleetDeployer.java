/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the deployments to the fleet. Deployments are kept in the hub database's {@code deployments} table, as they
 * were given, and what was last set on each device in {@code applied} ({@link DeploymentRepository}), so that every
 * hub node shows the same status ({@link DeploymentStatusView}). Each node holds the deployments in memory to
 * recompute devices with ({@link DeploymentReconciler}); a node that changes them tells the others, which read them
 * again (as after a lost event connection).
 */
@Component(service = Deployments.class, immediate = true)
public final class FleetDeployer implements Deployments {

    private static final Logger LOG = LoggerFactory.getLogger(FleetDeployer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CHANGEABLE = Set.of("priority", "targetCondition", "labels");

    private final HubDatabase db;
    private final DeviceStore devices;
    private final DeploymentRepository repository;
    private final DeploymentReconciler reconciler;
    private final DeploymentStatusView status;
    private volatile Map<String, HubDeployment> deployments = Map.of();
    private final List<Runnable> stopListening = new ArrayList<>();

    @Activate
    public FleetDeployer(@Reference HubDatabase db, @Reference DeviceStore devices, @Reference TwinStore twins) {
        this.db = db;
        this.devices = devices;
        this.repository = new DeploymentRepository(db);
        this.reconciler = new DeploymentReconciler(repository, twins, () -> deployments.values());
        this.status = new DeploymentStatusView(repository, twins);
        load();
        LOG.info("{} deployment(s) loaded", deployments.size());
        // Another node changed the deployments (it recomputes the devices); this one reads them again.
        stopListening.add(db.subscribe("deployments", id -> load()));
        stopListening.add(db.onResync(this::load));
        stopListening.add(twins.onTagsChanged(id -> reconciler.schedule(List.of(id))));
        stopListening.add(devices.onCreate(id -> reconciler.schedule(List.of(id))));
        stopListening.add(devices.onDelete(reconciler::forget));
        // After a restart: whatever changed while the hub was down (a deployment file copied in) is applied now.
        scheduleAll();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopListening.forEach(Runnable::run);
        reconciler.close();
    }

    private synchronized void load() {
        deployments = repository.loadAll();
    }

    private void changed(String id) {
        load();
        db.publish("deployments", id);
        scheduleAll();
    }

    private void scheduleAll() {
        reconciler.schedule(devices.devices().stream().map(org.outpost.hub.api.Device::id).toList());
    }

    @Override
    public List<DeploymentStatus> deployments() {
        return status.statuses(deployments.values());
    }

    @Override
    public Optional<DeploymentStatus> deployment(String id) {
        HubDeployment d = deployments.get(id);
        return d == null ? Optional.empty() : Optional.of(status.status(d));
    }

    @Override
    public DeploymentStatus create(String json) {
        Instant now = Instant.now();
        HubDeployment d = HubDeployment.parse(json, now);
        repository.insert(d, json, now);
        LOG.info("Deployment {} created (priority {}, {}, target: {})", d.id(), d.priority(), d.layered() ? "layered"
                : "base", d.targetCondition());
        changed(d.id());
        return status.status(d);
    }

    @Override
    public DeploymentStatus update(String id, String changesJson) {
        JsonNode changes;
        try {
            changes = JSON.readTree(changesJson);
        } catch (IOException e) {
            throw new DeploymentException("$", "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (changes == null || !changes.isObject()) {
            throw new DeploymentException("$", "give an object of the fields to change: priority, targetCondition,"
                    + " labels");
        }
        for (Iterator<String> it = changes.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!CHANGEABLE.contains(field)) {
                throw new DeploymentException(field, "cannot change (only priority, targetCondition and labels can;"
                        + " for new content create a deployment with a higher priority)");
            }
        }
        HubDeployment before = deployments.get(id);
        HubDeployment d = repository.update(id, (ObjectNode) changes, Optional.ofNullable(before).map(
                HubDeployment::createdTimeUtc));
        LOG.info("Deployment {} changed: priority {}, target: {}", id, d.priority(), d.targetCondition());
        changed(id);
        return status.status(d);
    }

    @Override
    public boolean delete(String id) {
        if (!repository.delete(id)) {
            return false;
        }
        LOG.info("Deployment {} deleted", id);
        changed(id);
        return true;
    }

    @Override
    public EffectiveDesired applied(String deviceId) {
        if (devices.device(deviceId).isEmpty()) {
            throw new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
        }
        return repository.applied(deviceId).orElse(DeploymentRepository.Applied.NOTHING).effective();
    }

    @Override
    public Map<String, EffectiveDesired> appliedTo(Collection<String> deviceIds) {
        Map<String, EffectiveDesired> out = new HashMap<>();
        repository.applied(deviceIds).forEach((id, a) -> out.put(id, a.effective()));
        return out;
    }

    /** @return true if no device waits to be recomputed or is being recomputed (for tests and the dashboard) */
    boolean idle() {
        return reconciler.idle();
    }
}
