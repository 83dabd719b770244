/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.osgi.framework.BundleContext;
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
import org.outpost.protocol.TwinDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the deployments to the fleet. Deployments are kept one file each in {@code ${karaf.data}/outpost/hub/
 * deployments/<id>.json}; what was last set on each device (its base, layers and the identities whose twins the
 * deployments set) in {@code applied/<device>.json} beside them, so that an identity a deployment no longer sets is
 * cleared even across restarts.
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

    private final Path directory;
    private final DeviceStore devices;
    private final TwinStore twins;
    private final Map<String, HubDeployment> deployments = new ConcurrentHashMap<>();
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();
    /** Devices to recompute, per stripe; a device is always in the same stripe. */
    private final List<Set<String>> dirty = new ArrayList<>();
    private final List<ExecutorService> workers = new ArrayList<>();
    /** Devices scheduled and not yet recomputed (including those being recomputed now). */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Runnable> stopListening = new ArrayList<>();

    @Activate
    public FleetDeployer(BundleContext context, @Reference DeviceStore devices, @Reference TwinStore twins)
            throws IOException {
        this(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost", "hub",
                "deployments"), devices, twins);
    }

    FleetDeployer(Path directory, DeviceStore devices, TwinStore twins) throws IOException {
        this.directory = directory;
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

    private void load() throws IOException {
        Files.createDirectories(directory.resolve("applied"));
        try (var files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    ObjectNode stored = (ObjectNode) JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
                    Instant created = Instant.parse(stored.path("createdTimeUtc").asText());
                    HubDeployment d = HubDeployment.parse(stored.toString(), created);
                    deployments.put(d.id(), d);
                } catch (IOException | RuntimeException e) {
                    // One damaged file must not take the others down: it is left for the operator, and said so.
                    LOG.error("Deployment file {} is not a deployment and was skipped (fix or delete it, then"
                            + " restart the hub): {}", f, e.getMessage());
                }
            }
        }
        try (var files = Files.list(directory.resolve("applied"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                String device = f.getFileName().toString().replaceFirst("\\.json$", "");
                try {
                    JsonNode a = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
                    List<String> layers = new ArrayList<>();
                    a.path("layers").forEach(n -> layers.add(n.asText()));
                    Set<String> identities = new TreeSet<>();
                    a.path("identities").forEach(n -> identities.add(n.asText()));
                    applied.put(device, new Applied(new EffectiveDesired(Optional.ofNullable(a.path("base")
                            .textValue()), layers, Map.of()), identities, null));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{} is damaged; {} will be recomputed from scratch: {}", f, device, e.getMessage());
                }
            }
        }
        LOG.info("{} deployment(s) loaded", deployments.size());
    }

    @Override
    public List<DeploymentStatus> deployments() {
        List<HubDeployment> all = new ArrayList<>(deployments.values());
        all.sort(Comparator.comparingInt(HubDeployment::priority).reversed().thenComparing(HubDeployment::id));
        Map<String, ObjectNode> documents = conditionDocuments();
        return all.stream().map(d -> status(d, documents)).toList();
    }

    @Override
    public Optional<DeploymentStatus> deployment(String id) {
        HubDeployment d = deployments.get(id);
        return d == null ? Optional.empty() : Optional.of(status(d, conditionDocuments()));
    }

    @Override
    public DeploymentStatus create(String json) {
        Instant now = Instant.now();
        HubDeployment d = HubDeployment.parse(json, now);
        synchronized (this) {
            if (deployments.containsKey(d.id())) {
                throw new DeploymentException("id", "a deployment '" + d.id() + "' exists; its content cannot"
                        + " change (as in IoT Hub): create one with another id and a higher priority, then delete"
                        + " this one");
            }
            ObjectNode stored;
            try {
                stored = (ObjectNode) JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stored.put("createdTimeUtc", now.toString());
            AtomicFiles.write(directory.resolve(d.id() + ".json"), stored.toPrettyString());
            deployments.put(d.id(), d);
        }
        LOG.info("Deployment {} created (priority {}, {}, target: {})", d.id(), d.priority(), d.layered() ? "layered"
                : "base", d.targetCondition());
        scheduleAll();
        return status(d, conditionDocuments());
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
        HubDeployment d;
        synchronized (this) {
            HubDeployment before = deployments.get(id);
            if (before == null) {
                throw new DeploymentException("id", "no deployment '" + id + "' (see hub:deployments)");
            }
            Path file = directory.resolve(id + ".json");
            ObjectNode stored;
            try {
                stored = (ObjectNode) JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read deployment " + id + ": " + e.getMessage(), e);
            }
            stored.setAll((ObjectNode) changes);
            // Checked as a whole, as at creation; it keeps its creation time (ties among equal priorities).
            d = HubDeployment.parse(stored.toString(), before.createdTimeUtc());
            AtomicFiles.write(file, stored.toPrettyString());
            deployments.put(id, d);
        }
        LOG.info("Deployment {} changed: priority {}, target: {}", id, d.priority(), d.targetCondition());
        scheduleAll();
        return status(d, conditionDocuments());
    }

    @Override
    public boolean delete(String id) {
        synchronized (this) {
            if (!deployments.containsKey(id)) {
                return false;
            }
            try {
                Files.deleteIfExists(directory.resolve(id + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete deployment " + id + ": " + e.getMessage(), e);
            }
            deployments.remove(id);
        }
        LOG.info("Deployment {} deleted", id);
        scheduleAll();
        return true;
    }

    @Override
    public EffectiveDesired applied(String deviceId) {
        if (devices.device(deviceId).isEmpty()) {
            throw new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
        }
        Applied a = applied.get(deviceId);
        return a == null ? new EffectiveDesired(Optional.empty(), List.of(), Map.of()) : a.effective();
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
                Applied before = applied.get(id);
                applied.put(id, new Applied(before == null ? new EffectiveDesired(Optional.empty(), List.of(),
                        Map.of()) : before.effective(), before == null ? Set.of() : before.identities(),
                        e.getMessage()));
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Sets on one device the twins its deployments add up to. */
    private void apply(String deviceId) {
        EffectiveDesired e = EffectiveDesired.of(twins.conditionDocument(deviceId), List.copyOf(deployments
                .values()));
        Applied before = applied.get(deviceId);
        if (e.base().isEmpty()) {
            if (before != null && before.effective().base().isPresent()) {
                LOG.info("No base deployment targets {} any more; its twins keep what {} set", deviceId,
                        before.effective().base().get());
            }
            if (before != null) {
                applied.put(deviceId, new Applied(e, before.identities(), null));
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
        store(deviceId, now);
        applied.put(deviceId, now);
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
        ObjectNode out = JSON.createObjectNode();
        out.put("base", a.effective().base().orElse(null));
        ArrayNode layers = out.putArray("layers");
        a.effective().layers().forEach(layers::add);
        ArrayNode ids = out.putArray("identities");
        a.identities().forEach(ids::add);
        AtomicFiles.write(directory.resolve("applied").resolve(deviceId + ".json"), out.toString());
    }

    private void forget(String deviceId) {
        applied.remove(deviceId);
        if (dirty.get(Math.floorMod(deviceId.hashCode(), STRIPES)).remove(deviceId)) {
            pending.decrementAndGet();
        }
        try {
            Files.deleteIfExists(directory.resolve("applied").resolve(deviceId + ".json"));
        } catch (IOException e) {
            LOG.warn("Could not delete what was applied to {}: {}", deviceId, e.toString());
        }
    }

    private Map<String, ObjectNode> conditionDocuments() {
        Map<String, ObjectNode> out = new TreeMap<>();
        for (org.outpost.hub.api.Device d : devices.devices()) {
            try {
                out.put(d.id(), twins.conditionDocument(d.id()));
            } catch (IllegalArgumentException e) {
                // Deleted meanwhile.
            }
        }
        return out;
    }

    private DeploymentStatus status(HubDeployment d, Map<String, ObjectNode> documents) {
        List<String> targeted = new ArrayList<>();
        List<String> appliedTo = new ArrayList<>();
        List<String> succeeded = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> device : documents.entrySet()) {
            String id = device.getKey();
            if (d.targetCondition().test(device.getValue())) {
                targeted.add(id);
            }
            Applied a = applied.get(id);
            if (a == null || !(a.effective().base().equals(Optional.of(d.id())) || a.effective().layers()
                    .contains(d.id()))) {
                continue;
            }
            appliedTo.add(id);
            if (a.error() != null) {
                failed.put(id, a.error());
                continue;
            }
            String outcome = outcome(id);
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
    private String outcome(String deviceId) {
        TwinDocument agent = twins.twin(deviceId, AGENT);
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
