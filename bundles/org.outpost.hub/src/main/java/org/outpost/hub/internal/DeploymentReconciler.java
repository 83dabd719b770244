/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.commons.DaemonThreads;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.deployments.HubDeployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets on each device the twins its deployments add up to, and keeps what was set ({@link DeploymentRepository}), so
 * that an identity a deployment no longer sets is cleared even across restarts.
 *
 * <p>
 * Devices to recompute are collected in sets and worked through by a few threads, each device always by the same one
 * (its id's hash picks the stripe): a burst of changes (a deployment created while tags are edited) costs one pass per
 * device, the twins of one device are never set by two threads at once, and the stripes' durable writes overlap (most
 * of a pass is waiting for the disk). A twin is only written when what it should hold differs from what it holds, so
 * recomputing is idempotent: after a restart every device is recomputed and nothing is sent to devices that are up to
 * date.
 */
final class DeploymentReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Threads that set devices' twins (each write waits for the disk; a few overlap well on 2 cores). */
    static final int STRIPES = 4;

    private final DeploymentRepository repository;
    private final Twins twins;
    private final Supplier<Collection<HubDeployment>> deployments;
    /** Devices to recompute, per stripe; a device is always in the same stripe. */
    private final List<Set<String>> dirty = new ArrayList<>();
    private final List<ExecutorService> workers = new ArrayList<>();
    /** Devices scheduled and not yet recomputed (including those being recomputed now). */
    private final AtomicInteger pending = new AtomicInteger();

    /** @param deployments the deployments as they are now (read at each device's pass) */
    DeploymentReconciler(DeploymentRepository repository, Twins twins,
            Supplier<Collection<HubDeployment>> deployments) {
        this.repository = repository;
        this.twins = twins;
        this.deployments = deployments;
        for (int i = 0; i < STRIPES; i++) {
            dirty.add(ConcurrentHashMap.newKeySet());
            workers.add(Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-hub-deployer-" + (i + 1))));
        }
    }

    /** Stops the threads (what is left is recomputed when the hub starts again). */
    @Override
    public void close() throws InterruptedException {
        workers.forEach(ExecutorService::shutdownNow);
        for (ExecutorService w : workers) {
            w.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** @return true if no device waits to be recomputed or is being recomputed */
    boolean idle() {
        return pending.get() == 0;
    }

    /** Recomputes the devices (once each, however often they are scheduled before their pass). */
    void schedule(List<String> ids) {
        boolean[] touched = new boolean[STRIPES];
        for (String id : ids) {
            int stripe = stripe(id);
            if (dirty.get(stripe).add(id)) {
                pending.incrementAndGet();
                touched[stripe] = true;
            }
        }
        for (int i = 0; i < STRIPES; i++) {
            if (touched[i]) {
                int stripe = i;
                try {
                    workers.get(i).execute(() -> drain(stripe));
                } catch (RejectedExecutionException e) {
                    // Stopping: what is left is recomputed when the hub starts again.
                }
            }
        }
    }

    /** Drops a deleted device that waits to be recomputed (its row in applied went with it). */
    void forget(String deviceId) {
        if (dirty.get(stripe(deviceId)).remove(deviceId)) {
            pending.decrementAndGet();
        }
    }

    private static int stripe(String deviceId) {
        return Math.floorMod(deviceId.hashCode(), STRIPES);
    }

    private void drain(int stripe) {
        for (Iterator<String> it = dirty.get(stripe).iterator(); it.hasNext();) {
            String id = it.next();
            it.remove();
            try {
                apply(id);
            } catch (IllegalArgumentException e) {
                // Deleted meanwhile.
                LOG.debug("Device {} is gone: {}", id, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Could not apply the deployments to {}: {}", id, e.toString());
                try {
                    DeploymentRepository.Applied before = repository.applied(id).orElse(
                            DeploymentRepository.Applied.NOTHING);
                    repository.storeApplied(id, new DeploymentRepository.Applied(before.effective(),
                            before.identities(), e.getMessage()));
                } catch (RuntimeException again) {
                    LOG.warn("Could not keep the error of {} either: {}", id, again.toString());
                }
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Sets on one device the twins its deployments add up to. */
    void apply(String deviceId) {
        EffectiveDesired e = EffectiveDesired.of(twins.conditionDocument(deviceId), List.copyOf(deployments.get()));
        DeploymentRepository.Applied before = repository.applied(deviceId).orElse(null);
        if (e.base().isEmpty()) {
            if (before != null && before.effective().base().isPresent()) {
                LOG.info("No base deployment targets {} any more; its twins keep what {} set", deviceId,
                        before.effective().base().get());
            }
            if (before != null && (!before.effective().layers().equals(e.layers()) || before.error() != null
                    || before.effective().base().isPresent())) {
                repository.storeApplied(deviceId, new DeploymentRepository.Applied(e, before.identities(), null));
            }
            return;
        }
        String error = null;
        Set<String> identities = new TreeSet<>();
        for (Map.Entry<String, ObjectNode> identity : e.desired().entrySet()) {
            String module = identity.getKey();
            try {
                setIfChanged(deviceId, module, identity.getValue());
                identities.add(module);
            } catch (RuntimeException ex) {
                // Over a twin limit, most likely: the device keeps what it had for this identity, and the status says.
                error = "the hub could not set " + module + ": " + ex.getMessage();
                LOG.warn("Deployment {} on {}: {}", e.base().get(), deviceId, error);
                identities.add(module);
            }
        }
        if (before != null) {
            for (String gone : before.identities()) {
                if (!identities.contains(gone) && !gone.startsWith("$")) {
                    setIfChanged(deviceId, gone, JSON.createObjectNode());
                }
            }
        }
        boolean moved = before == null || !before.effective().base().equals(e.base())
                || !before.effective().layers().equals(e.layers());
        if (moved || !before.identities().equals(identities) || !Objects.equals(before.error(), error)) {
            repository.storeApplied(deviceId, new DeploymentRepository.Applied(e, identities, error));
        }
        if (moved) {
            LOG.info("{} now runs deployment {}{}", deviceId, e.base().get(), e.layers().isEmpty() ? ""
                    : " with layers " + String.join(", ", e.layers()));
        }
    }

    private void setIfChanged(String deviceId, String module, ObjectNode desired) {
        ObjectNode current;
        try {
            current = (ObjectNode) JSON.readTree(twins.twin(deviceId, module).desired());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        current.remove("$version");
        if (!current.equals(desired)) {
            twins.replaceDesired(deviceId, module, desired.toString());
        }
    }
}
