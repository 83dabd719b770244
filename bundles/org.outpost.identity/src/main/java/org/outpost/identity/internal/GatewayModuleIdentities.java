/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.commons.Listeners;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.identity.internal.IdentityFile.Contents;
import org.outpost.identity.internal.IdentityFile.Entry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's module identities, in {@code ${karaf.data}/outpost/identities/modules.json} ({@link IdentityFile}).
 * The device id is the runtime's ({@link EdgeRuntime#deviceId()}); when it changes, every identity is registered at the
 * hub again, under the new device, and deletions meant for the old device are dropped.
 */
@Component(service = ModuleIdentities.class, configurationPid = IdentitySettings.PID)
@Designate(ocd = IdentitySettings.Config.class)
public final class GatewayModuleIdentities implements ModuleIdentities {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayModuleIdentities.class);
    private static final Set<String> SYSTEM_MODULES = Set.of("$edgeAgent", "$edgeHub");
    private static final BigInteger GENERATION_MIN = BigInteger.TEN.pow(17);
    private static final BigInteger GENERATION_SPAN = BigInteger.TEN.pow(18).subtract(GENERATION_MIN);

    private final IdentityFile file;
    private final Supplier<String> deviceId;
    private final Clock clock;
    private final SecureRandom random;
    private final Path dataDir;
    private final Listeners<Runnable> changes = new Listeners<>("module identity changes");
    private final Listeners<Consumer<String>> revocations = new Listeners<>("module identity revocations");
    private volatile IdentitySettings settings;
    /** Guarded by this; replaced only after the file was written. */
    private Contents contents;

    @Activate
    public GatewayModuleIdentities(BundleContext context, @Reference EdgeRuntime runtime,
            IdentitySettings.Config config, Map<String, Object> properties) throws IOException {
        this(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data")), runtime::deviceId,
                null, Clock.systemUTC(), new SecureRandom());
        this.settings = IdentitySettings.fromOrKeep(config, properties, dataDir, null, "module identities");
    }

    /** @param settings the configuration, or null to read it in the activating constructor */
    GatewayModuleIdentities(Path dataDir, Supplier<String> deviceId, IdentitySettings settings, Clock clock,
            SecureRandom random) throws IOException {
        this.dataDir = dataDir;
        this.file = new IdentityFile(dataDir.resolve("outpost").resolve("identities").resolve("modules.json"));
        this.deviceId = deviceId;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.contents = file.read();
    }

    @Modified
    void modified(IdentitySettings.Config config, Map<String, Object> properties) {
        settings = IdentitySettings.fromOrKeep(config, properties, dataDir, settings,
                "module identities");
    }

    @Override
    public String deviceId() {
        return deviceId.get();
    }

    @Override
    public synchronized ModuleIdentity create(String moduleId) {
        if (SYSTEM_MODULES.contains(moduleId)) {
            throw new IllegalArgumentException("'" + moduleId + "' is a system module: the gateway acts for it with"
                    + " the device's own credentials, so it has no module identity");
        }
        ModuleNames.require("module id", moduleId);
        Contents now = current();
        Entry existing = now.modules().get(moduleId);
        if (existing != null) {
            return identity(moduleId, existing, now.deviceId());
        }
        Entry made = new Entry(generationId(), key(), key(), clock.instant(), false);
        Map<String, Entry> modules = new HashMap<>(now.modules());
        modules.put(moduleId, made);
        List<String> deleted = new ArrayList<>(now.deletedPending());
        // The new generation replaces the old one at the hub (a PUT), so the old one's deletion is moot.
        deleted.remove(moduleId);
        save(new Contents(now.deviceId(), modules, deleted));
        changes.fire(Runnable::run);
        return identity(moduleId, made, now.deviceId());
    }

    @Override
    public synchronized Optional<ModuleIdentity> identity(String moduleId) {
        Contents now = current();
        return Optional.ofNullable(now.modules().get(moduleId)).map(e -> identity(moduleId, e, now.deviceId()));
    }

    @Override
    public synchronized List<ModuleIdentity> identities() {
        Contents now = current();
        return now.modules().entrySet().stream().map(e -> identity(e.getKey(), e.getValue(), now.deviceId()))
                .toList();
    }

    @Override
    public synchronized boolean delete(String moduleId) {
        Contents now = current();
        if (!now.modules().containsKey(moduleId)) {
            return false;
        }
        Map<String, Entry> modules = new HashMap<>(now.modules());
        modules.remove(moduleId);
        // Told to the hub even if this generation never reached it: an older one may have.
        Set<String> deleted = new LinkedHashSet<>(now.deletedPending());
        deleted.add(moduleId);
        save(new Contents(now.deviceId(), modules, List.copyOf(deleted)));
        changes.fire(Runnable::run);
        revocations.fire(r -> r.accept(moduleId));
        return true;
    }

    @Override
    public synchronized ModuleIdentity rekey(String moduleId) {
        required(moduleId);
        Contents now = current();
        Entry old = now.modules().get(moduleId);
        Entry made = new Entry(old.generationId(), key(), key(), old.created(), false);
        Map<String, Entry> modules = new HashMap<>(now.modules());
        modules.put(moduleId, made);
        save(new Contents(now.deviceId(), modules, now.deletedPending()));
        LOG.info("Module '{}' has new keys: its old tokens and connections no longer work", moduleId);
        changes.fire(Runnable::run);
        revocations.fire(r -> r.accept(moduleId));
        return identity(moduleId, made, now.deviceId());
    }

    @Override
    public AutoCloseable onRevoked(Consumer<String> listener) {
        return revocations.subscribe(listener);
    }

    @Override
    public synchronized Pending pending() {
        Contents now = current();
        return new Pending(now.modules().entrySet().stream().filter(e -> !e.getValue().registered())
                .map(e -> identity(e.getKey(), e.getValue(), now.deviceId())).toList(), now.deletedPending());
    }

    @Override
    public synchronized void registeredAtHub(String moduleId, String generationId) {
        Contents now = current();
        Entry e = now.modules().get(moduleId);
        if (e == null || e.registered() || !e.generationId().equals(generationId)) {
            return;
        }
        Map<String, Entry> modules = new HashMap<>(now.modules());
        modules.put(moduleId, e.withRegistered(true));
        save(new Contents(now.deviceId(), modules, now.deletedPending()));
    }

    @Override
    public synchronized void deletedAtHub(String moduleId) {
        Contents now = current();
        if (!now.deletedPending().contains(moduleId) || now.modules().containsKey(moduleId)) {
            return;
        }
        List<String> deleted = new ArrayList<>(now.deletedPending());
        deleted.remove(moduleId);
        save(new Contents(now.deviceId(), now.modules(), deleted));
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        return changes.subscribe(listener);
    }

    @Override
    public Map<String, String> environment(String moduleId, Placement placement) {
        return ModuleEnvironment.of(required(moduleId), placement, settings);
    }

    @Override
    public String connectionString(String moduleId) {
        return ModuleEnvironment.connectionString(required(moduleId), settings);
    }

    private ModuleIdentity required(String moduleId) {
        return identity(moduleId).orElseThrow(() -> {
            List<String> known = identities().stream().map(ModuleIdentity::moduleId).toList();
            return new IllegalArgumentException("module '" + moduleId + "' has no identity on this gateway ("
                    + (known.isEmpty() ? "no module has one yet" : "modules with one: " + String.join(", ", known))
                    + "); the deployment makes one when it adds the module");
        });
    }

    /** @return the contents, for the runtime's current device id (re-registering everything if it changed) */
    private Contents current() {
        String device = deviceId.get();
        if (device.equals(contents.deviceId())) {
            return contents;
        }
        Map<String, Entry> modules = new HashMap<>();
        contents.modules().forEach((m, e) -> modules.put(m, e.withRegistered(false)));
        if (contents.deviceId() != null && !modules.isEmpty()) {
            LOG.info("The device id changed from '{}' to '{}': {} module identities will be registered at the hub"
                    + " under '{}'", contents.deviceId(), device, modules.size(), device);
        }
        save(new Contents(device, modules, List.of()));
        if (!modules.isEmpty()) {
            changes.fire(Runnable::run);
            // Every identity is another one now (<device>/<module>): what the old ones hold stops.
            modules.keySet().forEach(m -> revocations.fire(r -> r.accept(m)));
        }
        return contents;
    }

    private void save(Contents next) {
        try {
            file.write(next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the module identities to " + file.path() + ": "
                    + e.getMessage(), e);
        }
        contents = next;
    }

    private static ModuleIdentity identity(String moduleId, Entry e, String deviceId) {
        return new ModuleIdentity(deviceId, moduleId, e.generationId(), e.primaryKey(), e.secondaryKey(),
                e.created(), e.registered());
    }

    private String key() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** 18 random digits, as IoT Edge's generation ids look (they are .NET ticks there). */
    private String generationId() {
        return GENERATION_MIN.add(new BigInteger(64, random).mod(GENERATION_SPAN)).toString();
    }
}
