/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.ReportedModule;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.protocol.TwinDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the deployments to the fleet. Deployments are kept in the hub database's {@code deployments} table, as they
 * were given; what was last set on each device (its base, layers and the identities whose twins the deployments set)
 * in {@code applied}, so that an identity a deployment no longer sets is cleared even across restarts, and every hub
 * node shows the same status. Each node holds the deployments in memory to recompute devices with; a node that
 * changes them tells the others, which read them again (as after a lost event connection).
 *
 * <p>
 * Devices to recompute are collected in sets and worked through by a few threads, each device always by the same one
 * (its id's hash picks the stripe): a burst of changes (a deployment created while tags are edited) costs one pass per
 * device, the twins of one device are never set by two threads at once, and the stripes' durable writes overlap (most
 * of a pass is waiting for the disk). A twin is only written when what it should hold differs from what it holds, so
 * recomputing is idempotent: after a restart every device is recomputed and nothing is sent to devices that are up to
 * date.
 */
@Component(service = Deployments.class, immediate = true)
public final class FleetDeployer implements Deployments {

    private static final Logger LOG = LoggerFactory.getLogger(FleetDeployer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "$edgeAgent";
    /** Threads that set devices' twins (each write waits for the disk; a few overlap well on 2 cores). */
    private static final int STRIPES = 4;

    /** What was set on a device, and the identities that got it. */
    private record Applied(EffectiveDesired effective, Set<String> identities, String error) {
    }

    private final HubDatabase db;
    private final DeviceStore devices;
    private final TwinStore twins;
    private volatile Map<String, HubDeployment> deployments = Map.of();
    /** Devices to recompute, per stripe; a device is always in the same stripe. */
    private final List<Set<String>> dirty = new ArrayList<>();
    private final List<ExecutorService> workers = new ArrayList<>();
    /** Devices scheduled and not yet recomputed (including those being recomputed now). */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Runnable> stopListening = new ArrayList<>();

    @Activate
    public FleetDeployer(@Reference HubDatabase db, @Reference DeviceStore devices, @Reference TwinStore twins) {
        this.db = db;
        this.devices = devices;
        this.twins = twins;
        for (int i = 0; i < STRIPES; i++) {
            dirty.add(ConcurrentHashMap.newKeySet());
            String name = "outpost-hub-deployer-" + (i + 1);
            workers.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }));
        }
        load();
        LOG.info("{} deployment(s) loaded", deployments.size());
        // Another node changed the deployments (it recomputes the devices); this one reads them again.
        stopListening.add(db.subscribe("deployments", id -> load()));
        stopListening.add(db.onResync(this::load));
        stopListening.add(twins.onTagsChanged(id -> schedule(List.of(id))));
        stopListening.add(devices.onCreate(id -> schedule(List.of(id))));
        stopListening.add(devices.onDelete(this::forget));
        // After a restart: whatever changed while the hub was down (a deployment file copied in) is applied now.
        scheduleAll();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopListening.forEach(Runnable::run);
        workers.forEach(ExecutorService::shutdownNow);
        for (ExecutorService w : workers) {
            w.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private synchronized void load() {
        Map<String, HubDeployment> loaded = new ConcurrentHashMap<>();
        db.transaction("reading the deployments", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, created_ms, document FROM deployments");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        HubDeployment d = HubDeployment.parse(r.getString(3), Instant.ofEpochMilli(r.getLong(2)));
                        loaded.put(d.id(), d);
                    } catch (RuntimeException e) {
                        // One damaged row must not take the others down: it is left for the operator, and said so.
                        LOG.error("Deployment {} in the hub database is not a deployment and was skipped (delete it"
                                + " with hub:deployment-delete and create it again): {}", r.getString(1),
                                e.getMessage());
                    }
                }
            }
            return null;
        });
        deployments = loaded;
    }

    /** @return the deployment's document as stored, if there is one */
    private static Optional<ObjectNode> document(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT document FROM deployments WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of((ObjectNode) JSON.readTree(r.getString(1)));
                } catch (IOException e) {
                    throw new UncheckedIOException("deployment " + id + " in the hub database is not JSON", e);
                }
            }
        }
    }

    private void changed(String id) {
        load();
        db.publish("deployments", id);
        scheduleAll();
    }

    @Override
    public List<DeploymentStatus> deployments() {
        List<HubDeployment> all = new ArrayList<>(deployments.values());
        all.sort(Comparator.comparingInt(HubDeployment::priority).reversed().thenComparing(HubDeployment::id));
        Fleet fleet = fleet();
        return all.stream().map(d -> status(d, fleet)).toList();
    }

    @Override
    public Optional<DeploymentStatus> deployment(String id) {
        HubDeployment d = deployments.get(id);
        return d == null ? Optional.empty() : Optional.of(status(d, fleet()));
    }

    @Override
    public DeploymentStatus create(String json) {
        Instant now = Instant.now();
        HubDeployment d = HubDeployment.parse(json, now);
        ObjectNode stored;
        try {
            stored = (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stored.put("createdTimeUtc", now.toString());
        try {
            db.transaction("creating deployment " + d.id(), c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO deployments (id, created_ms, document)"
                        + " VALUES (?, ?, ?)")) {
                    s.setString(1, d.id());
                    s.setLong(2, now.toEpochMilli());
                    s.setString(3, stored.toPrettyString());
                    return s.executeUpdate();
                }
            });
        } catch (org.outpost.hub.storage.StorageException e) {
            if (!e.conflict()) {
                throw e;
            }
            throw new DeploymentException("id", "a deployment '" + d.id() + "' exists; its content cannot"
                    + " change (as in IoT Hub): create one with another id and a higher priority, then delete"
                    + " this one");
        }
        LOG.info("Deployment {} created (priority {}, {}, target: {})", d.id(), d.priority(), d.layered() ? "layered"
                : "base", d.targetCondition());
        changed(d.id());
        return status(d, fleet());
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
            if (!Set.of("priority", "targetCondition", "labels").contains(field)) {
                throw new DeploymentException(field, "cannot change (only priority, targetCondition and labels can;"
                        + " for new content create a deployment with a higher priority)");
            }
        }
        HubDeployment d = db.transaction("changing deployment " + id, c -> {
            HubDeployment before = deployments.get(id);
            ObjectNode stored = document(c, id).orElseThrow(() -> new DeploymentException("id", "no deployment '"
                    + id + "' (see hub:deployments)"));
            Instant created = before != null ? before.createdTimeUtc()
                    : Instant.parse(stored.path("createdTimeUtc").asText());
            stored.setAll((ObjectNode) changes);
            // Checked as a whole, as at creation; it keeps its creation time (ties among equal priorities).
            HubDeployment changedTo = HubDeployment.parse(stored.toString(), created);
            try (PreparedStatement s = c.prepareStatement("UPDATE deployments SET document = ? WHERE id = ?")) {
                s.setString(1, stored.toPrettyString());
                s.setString(2, id);
                s.executeUpdate();
            }
            return changedTo;
        });
        LOG.info("Deployment {} changed: priority {}, target: {}", id, d.priority(), d.targetCondition());
        changed(id);
        return status(d, fleet());
    }

    @Override
    public boolean delete(String id) {
        int n = db.transaction("deleting deployment " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM deployments WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate();
            }
        });
        if (n == 0) {
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
        return appliedTo(deviceId).getOrDefault(deviceId, NOTHING).effective();
    }

    /** @return true if no device waits to be recomputed or is being recomputed (for tests and the dashboard) */
    boolean idle() {
        return pending.get() == 0;
    }

    private void scheduleAll() {
        schedule(devices.devices().stream().map(org.outpost.hub.api.Device::id).toList());
    }

    private void schedule(List<String> ids) {
        boolean[] touched = new boolean[STRIPES];
        for (String id : ids) {
            int stripe = Math.floorMod(id.hashCode(), STRIPES);
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
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // Stopping: what is left is recomputed when the hub starts again.
                }
            }
        }
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
                    Applied before = appliedTo(id).getOrDefault(id, NOTHING);
                    store(id, new Applied(before.effective(), before.identities(), e.getMessage()));
                } catch (RuntimeException again) {
                    LOG.warn("Could not keep the error of {} either: {}", id, again.toString());
                }
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Sets on one device the twins its deployments add up to. */
    private void apply(String deviceId) {
        EffectiveDesired e = EffectiveDesired.of(twins.conditionDocument(deviceId), List.copyOf(deployments
                .values()));
        Applied before = appliedTo(deviceId).get(deviceId);
        if (e.base().isEmpty()) {
            if (before != null && before.effective().base().isPresent()) {
                LOG.info("No base deployment targets {} any more; its twins keep what {} set", deviceId,
                        before.effective().base().get());
            }
            if (before != null && (!before.effective().layers().equals(e.layers()) || before.error() != null
                    || before.effective().base().isPresent())) {
                store(deviceId, new Applied(e, before.identities(), null));
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
        Applied now = new Applied(e, identities, error);
        if (before == null || !before.effective().base().equals(e.base()) || !before.effective().layers().equals(
                e.layers()) || !before.identities().equals(identities) || !Objects.equals(before.error(), error)) {
            store(deviceId, now);
        }
        if (before == null || !before.effective().base().equals(e.base())
                || !before.effective().layers().equals(e.layers())) {
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

    private void store(String deviceId, Applied a) {
        ArrayNode layers = JSON.createArrayNode();
        a.effective().layers().forEach(layers::add);
        ArrayNode ids = JSON.createArrayNode();
        a.identities().forEach(ids::add);
        db.transaction("keeping what was applied to " + deviceId, c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE applied SET base = ?, layers = ?, identities = ?,"
                    + " error = ? WHERE device_id = ?")) {
                up.setString(1, a.effective().base().orElse(null));
                up.setString(2, layers.toString());
                up.setString(3, ids.toString());
                up.setString(4, a.error());
                up.setString(5, deviceId);
                if (up.executeUpdate() == 1) {
                    return null;
                }
            }
            // The device's first; a device deleted meanwhile inserts nothing.
            try (PreparedStatement in = c.prepareStatement("INSERT INTO applied (device_id, base, layers, identities,"
                    + " error) SELECT id, ?, ?, ?, ? FROM devices WHERE id = ?")) {
                in.setString(1, a.effective().base().orElse(null));
                in.setString(2, layers.toString());
                in.setString(3, ids.toString());
                in.setString(4, a.error());
                in.setString(5, deviceId);
                in.executeUpdate();
            }
            return null;
        });
    }

    private static final Applied NOTHING = new Applied(new EffectiveDesired(Optional.empty(), List.of(), Map.of()),
            Set.of(), null);

    /** @return what was applied to a device (to all of them if deviceId is null), by id */
    private Map<String, Applied> appliedTo(String deviceId) {
        return db.transaction("reading what was applied", c -> {
            Map<String, Applied> out = new java.util.HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, base, layers, identities, error FROM"
                    + " applied" + (deviceId == null ? "" : " WHERE device_id = ?"))) {
                if (deviceId != null) {
                    s.setString(1, deviceId);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        List<String> layers = new ArrayList<>();
                        Set<String> identities = new TreeSet<>();
                        try {
                            JSON.readTree(r.getString(3)).forEach(n -> layers.add(n.asText()));
                            JSON.readTree(r.getString(4)).forEach(n -> identities.add(n.asText()));
                        } catch (IOException e) {
                            LOG.warn("What was applied to {} is damaged; it is recomputed from scratch: {}",
                                    r.getString(1), e.getMessage());
                            continue;
                        }
                        out.put(r.getString(1), new Applied(new EffectiveDesired(Optional.ofNullable(r.getString(2)),
                                layers, Map.of()), identities, r.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    private void forget(String deviceId) {
        // Its row in applied went with the device.
        if (dirty.get(Math.floorMod(deviceId.hashCode(), STRIPES)).remove(deviceId)) {
            pending.decrementAndGet();
        }
    }

    /** The fleet as the status sees it, read in three queries. */
    private record Fleet(Map<String, ObjectNode> documents, Map<String, Applied> applied,
            Map<String, TwinDocument> agents) {
    }

    private Fleet fleet() {
        return new Fleet(twins.conditionDocuments(), appliedTo(null), twins.twins(AGENT));
    }

    private DeploymentStatus status(HubDeployment d, Fleet fleet) {
        List<String> targeted = new ArrayList<>();
        List<String> appliedTo = new ArrayList<>();
        List<String> succeeded = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> device : fleet.documents().entrySet()) {
            String id = device.getKey();
            if (d.targetCondition().test(device.getValue())) {
                targeted.add(id);
            }
            Applied a = fleet.applied().get(id);
            if (a == null || !(a.effective().base().equals(Optional.of(d.id())) || a.effective().layers()
                    .contains(d.id()))) {
                continue;
            }
            appliedTo.add(id);
            if (a.error() != null) {
                failed.put(id, a.error());
                continue;
            }
            String outcome = outcome(fleet.agents().getOrDefault(id, TwinDocument.empty()));
            if (outcome == null) {
                pending.add(id);
            } else if (outcome.isEmpty()) {
                succeeded.add(id);
            } else {
                failed.put(id, outcome);
            }
        }
        return new DeploymentStatus(d, targeted, appliedTo, succeeded, failed, pending);
    }

    /**
     * @return null while the device has not reported the desired version of {@code $edgeAgent}, "" when it reports it
     *         with 200 and no module failing, else the reason it failed
     */
    private static String outcome(TwinDocument agent) {
        JsonNode reported;
        try {
            reported = JSON.readTree(agent.reported());
        } catch (IOException e) {
            return "its $edgeAgent reported properties are not JSON";
        }
        if (reported.path("lastDesiredVersion").asLong(-1) != agent.desiredVersion()) {
            return null;
        }
        JsonNode status = reported.path("lastDesiredStatus");
        int code = status.path("code").asInt(0);
        if (code != 200) {
            String description = status.path("description").asText("");
            // Gateways may start the description with the code already (Outpost's does).
            return description.startsWith(code + " ") ? description : (code + " " + description).strip();
        }
        List<String> failing = new ArrayList<>();
        for (ReportedModule m : ReportedModule.of(reported)) {
            if (m.failing()) {
                failing.add("module " + m.moduleId() + " is " + m.runtimeStatus() + (m.statusDescription().isEmpty()
                        ? "" : ": " + m.statusDescription()));
            }
        }
        return String.join("; ", failing);
    }
}
