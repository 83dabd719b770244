/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.commons.Listeners;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.outpost.iothub.spi.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module identities, in the hub database's {@code module_identities} table ({@link ModuleRepository}): what
 * gateways registered for their modules ({@link HubModuleRegistry}), read by the endpoint's authentication and by
 * operators. An identity replaced or deleted through any node is revoked: this node's listeners hear of it at once and
 * the other nodes through the database's event {@value #REVOKED}, so that every node closes its connections.
 * Which module identities are connected is known for this node only.
 */
@Component(service = {ModuleRegistry.class, ModuleStore.class})
public final class ModuleStore implements ModuleRegistry {

    /** The modules that authenticate with their device's credentials: the gateway acts for them. */
    static final Set<String> SYSTEM_MODULES = Set.of("$edgeAgent", "$edgeHub");
    /** Who manages the identities gateways register. */
    static final String MANAGED_BY = "$edgeAgent";
    static final String REVOKED = "module-revoked";

    private static final Logger LOG = LoggerFactory.getLogger(ModuleStore.class);

    private final HubDatabase db;
    private final DeviceStore devices;
    private final ModuleRepository repository;
    private final Listeners<Consumer<Identity>> revoked = new Listeners<>("module identity revocations");
    /** Module identities connected to this node, by id. */
    private final Set<String> connectedHere = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Runnable stopListening;

    @Activate
    public ModuleStore(@Reference HubDatabase db, @Reference DeviceStore devices, @Reference HubSecrets secrets) {
        this(db, devices, secrets.box());
    }

    /** @param box seals the keys for the database under the hub's master key */
    ModuleStore(HubDatabase db, DeviceStore devices, SecretBox box) {
        this.db = db;
        this.devices = devices;
        this.repository = new ModuleRepository(db, box);
        this.stopListening = db.subscribe(REVOKED, id -> Identity.claimedBy(id).ifPresent(this::tell));
    }

    @Deactivate
    void deactivate() {
        stopListening.run();
    }

    @Override
    public List<ModuleIdentity> modules(String deviceId) {
        if (!devices.exists(deviceId)) {
            throw DeviceKeys.noDevice(deviceId);
        }
        List<ModuleRepository.Row> rows = repository.all(deviceId);
        boolean elsewhere = !rows.isEmpty() && devices.connectionsElsewhere(deviceId) > 0;
        return rows.stream().map(r -> view(r, elsewhere)).toList();
    }

    @Override
    public Optional<ModuleIdentity> module(String deviceId, String moduleId) {
        return repository.find(deviceId, moduleId).map(r -> view(r, devices.connectionsElsewhere(deviceId) > 0));
    }

    @Override
    public Optional<Keys> keys(String deviceId, String moduleId) {
        return repository.find(deviceId, moduleId).map(r -> new Keys(r.primaryKey(), r.secondaryKey()));
    }

    private ModuleIdentity view(ModuleRepository.Row r, boolean deviceConnectedElsewhere) {
        boolean here = connectedHere.contains(r.deviceId() + "/" + r.moduleId());
        return new ModuleIdentity(r.deviceId(), r.moduleId(), r.generationId(), r.created(), r.managedBy(),
                here ? Boolean.TRUE : deviceConnectedElsewhere ? null : Boolean.FALSE);
    }

    /** @return true if {@code key} is the module identity's primary or secondary key */
    boolean verify(String deviceId, String moduleId, String key) {
        if (key == null) {
            return false;
        }
        return keys(deviceId, moduleId).map(k -> matches(k, key)).orElse(false);
    }

    /** @return true if {@code key} is one of the keys (compared in constant time) */
    static boolean matches(Keys keys, String key) {
        return equal(keys.primaryKey(), key) | equal(keys.secondaryKey(), key);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Registers or replaces a module identity (its fields checked by the caller); a replaced one is revoked.
     *
     * @throws StorageException if the database fails, or the device is not registered
     */
    ModuleRepository.Change put(String deviceId, String moduleId, String generationId, String primaryKey,
            String secondaryKey) {
        ModuleRepository.Row row = new ModuleRepository.Row(deviceId, moduleId, generationId, primaryKey,
                secondaryKey, Instant.now(), MANAGED_BY);
        ModuleRepository.Change change;
        try {
            change = repository.put(row);
        } catch (StorageException e) {
            if (!e.conflict()) {
                throw e;
            }
            // Registered through another node at the same time: this one replaces it.
            change = repository.put(row);
        }
        if (change != ModuleRepository.Change.UNCHANGED) {
            LOG.info("Module identity {}/{} {} (generation {})", deviceId, moduleId, change == ModuleRepository.Change
                    .CREATED ? "registered" : "replaced", generationId);
        }
        if (change == ModuleRepository.Change.REPLACED) {
            revoke(Identity.module(deviceId, moduleId));
        }
        if (change != ModuleRepository.Change.UNCHANGED) {
            // The device scopes of the gateways above it carry its module identities.
            devices.scopeChanged(deviceId);
        }
        return change;
    }

    /** Deletes a module identity, and revokes it. @return false if there was none */
    boolean delete(String deviceId, String moduleId) {
        if (!repository.delete(deviceId, moduleId)) {
            return false;
        }
        LOG.info("Module identity {}/{} deleted", deviceId, moduleId);
        revoke(Identity.module(deviceId, moduleId));
        devices.scopeChanged(deviceId);
        return true;
    }

    /**
     * Hears of module identities replaced or deleted (through any node), so that their connections are closed.
     *
     * @return stops listening
     */
    Runnable onRevoked(Consumer<Identity> listener) {
        return revoked.subscribe(listener)::close;
    }

    /** Notes a connection of an identity opening or closing on this node (only modules are kept). */
    void connection(Identity identity, boolean open) {
        if (identity.kind() != Identity.Kind.MODULE) {
            return;
        }
        if (open) {
            connectedHere.add(identity.id());
        } else {
            connectedHere.remove(identity.id());
        }
    }

    private void revoke(Identity identity) {
        try {
            db.publish(REVOKED, identity.id());
        } catch (RuntimeException e) {
            LOG.warn("Could not tell the other hub nodes that {} was revoked ({}): its connections there stay open"
                    + " until they end", identity, e.toString());
        }
        tell(identity);
    }

    private void tell(Identity identity) {
        revoked.fire(l -> l.accept(identity));
    }
}
