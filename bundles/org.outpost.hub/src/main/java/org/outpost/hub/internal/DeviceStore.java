/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.ModuleNames;
import org.outpost.commons.Listeners.Subscription;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.NewDevice;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry, in the hub database's {@code devices} table: per device its creation time, its keys
 * ({@link DeviceKeys}, sealed under the hub's master key: {@link HubSecrets}), an X.509 thumbprint, whether it is
 * disabled, and its tags.
 *
 * <p>
 * Nothing of the registry is cached: every hub node reads it from the database ({@link DeviceRepository}), so a
 * device registered, rotated or disabled through one node is so at once on all. Activity is the exception, because it
 * changes with every message: each node counts it in memory and adds it to the database every
 * {@value DeviceActivity#FLUSH_SECONDS} s ({@link DeviceActivity}). Deletions and disablings are announced to the other
 * nodes, which close the device's connections they hold ({@link DeviceEvents}).
 */
@Component(service = {DeviceRegistry.class, DeviceStore.class})
public final class DeviceStore implements DeviceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceStore.class);

    private final DeviceRepository repository;
    private final DeviceKeys keys;
    private final DeviceActivity activity;
    private final DeviceEvents events;
    private final DeviceTree tree;
    private final AncestryCache ancestry;
    private final TreeChanges changes;

    @Activate
    public DeviceStore(@Reference HubDatabase db, @Reference HubSecrets secrets) {
        this(db, secrets.box());
    }

    /** @param box seals the keys for the database under the hub's master key */
    DeviceStore(HubDatabase db, SecretBox box) {
        this.repository = new DeviceRepository(db, box);
        this.keys = new DeviceKeys(repository);
        this.activity = new DeviceActivity(repository);
        this.events = new DeviceEvents(db);
        this.tree = new DeviceTree(db);
        this.ancestry = new AncestryCache(tree::parent);
        this.changes = new TreeChanges(tree, events);
        events.onScopeChanged(change -> ancestry.clear());
        events.onDeleted(id -> ancestry.clear());
        events.onResync(ancestry::clear);
        // First: a deleted device's activity goes before the other listeners hear of it.
        events.onDeleted(activity::forget);
        // This node was taken for gone (its counted connections with it) and is registered again: count them again.
        events.onResync(activity::recountConnections);
    }

    @Deactivate
    void deactivate() {
        events.close();
        activity.close();
    }

    @Override
    public List<Device> devices() {
        return repository.all().stream().map(activity::view).toList();
    }

    @Override
    public Optional<Device> device(String id) {
        return repository.registered(id).map(activity::view);
    }

    /** @return true if the device is registered (cheaper than {@link #device}) */
    boolean exists(String id) {
        return repository.find(id).isPresent();
    }

    /** @return true if the device is registered and not disabled */
    boolean enabled(String id) {
        return repository.find(id).map(row -> !row.disabled()).orElse(false);
    }

    @Override
    public String create(String id) {
        return create(id, null);
    }

    @Override
    public String create(String id, String parentId) {
        ModuleNames.require("device id", id);
        if (parentId != null && !ModuleNames.isValid(parentId)) {
            throw new IllegalArgumentException("parent '" + parentId + "' is not a device id (letters, digits, '-',"
                    + " '_')");
        }
        String key = keys.newKey();
        try {
            repository.insert(id, Instant.now(), keys.hash(key), null, parentId);
        } catch (StorageException e) {
            if (e.conflict() || exists(id)) {
                throw new IllegalArgumentException("device '" + id + "' is already registered; use rotate-key to"
                        + " give it a new key");
            }
            throw e;
        }
        events.created(id);
        if (parentId != null) {
            LOG.info("Device {} registered below {}", id, parentId);
            scopeChanged(id);
        }
        return key;
    }

    @Override
    public Map<String, String> importDevices(List<NewDevice> devices) {
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> secondaries = new HashMap<>();
        Map<String, String> parents = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            NewDevice d = devices.get(i);
            String at = "device " + (i + 1) + " ('" + d.id() + "')";
            if (!ModuleNames.isValid(d.id())) {
                throw new IllegalArgumentException(at + ": not a device id (letters, digits, '-', '_')");
            }
            if (given.containsKey(d.id())) {
                throw new IllegalArgumentException(at + ": already registered earlier in this import");
            }
            given.put(d.id(), d.primaryKey() == null ? keys.newKey()
                    : DeviceKeys.checkGiven(d.primaryKey(), at + ": primaryKey"));
            if (d.secondaryKey() != null) {
                secondaries.put(d.id(), DeviceKeys.checkGiven(d.secondaryKey(), at + ": secondaryKey"));
            }
            if (d.parentId() != null) {
                if (!ModuleNames.isValid(d.parentId())) {
                    throw new IllegalArgumentException(at + ": parentId '" + d.parentId() + "' is not a device id");
                }
                parents.put(d.id(), d.parentId());
            }
        }
        Map<String, DeviceKeys.Hashed> hashed = new LinkedHashMap<>();
        given.forEach((id, key) -> hashed.put(id, keys.hash(key)));
        try {
            repository.insertAll(hashed, secondaries, parents, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parents.isEmpty() ? e.getMessage() : "importing " + given.size()
                    + " device(s), nothing registered: " + e.getMessage(), e);
        }
        LOG.info("{} device(s) imported", given.size());
        given.keySet().forEach(events::created);
        parents.keySet().forEach(this::scopeChanged);
        return given;
    }

    @Override
    public String rotateKey(String id, boolean secondary) {
        String key = keys.rotate(id, secondary);
        events.rekeyed(id);
        changes.credentialsChanged(id, "was re-keyed");
        return key;
    }

    @Override
    public void setEnabled(String id, boolean enabled) {
        if (!repository.setDisabled(id, !enabled)) {
            if (!exists(id)) {
                throw DeviceKeys.noDevice(id);
            }
            return;
        }
        LOG.info("Device {} {}", id, enabled ? "enabled" : "disabled");
        if (!enabled) {
            events.disabled(id);
            changes.credentialsChanged(id, "was disabled");
        } else {
            changes.scopeChanged(id);
        }
    }

    @Override
    public boolean delete(String id) {
        List<String> ancestors = tree.ancestors(id);
        List<String> children = tree.children(id);
        List<String> below = tree.descendants(id);
        if (!repository.delete(id)) {
            return false;
        }
        changes.reauthenticate(below, id, "was deleted");
        if (!children.isEmpty()) {
            LOG.info("Device {} deleted; its children {} have no parent now (give them one with hub:device-update"
                    + " --parent)", id, children);
        }
        events.deleted(id);
        changes.scopeChanged(ancestors);
        return true;
    }

    @Override
    public void setParent(String id, String parentId) {
        DeviceTree.Move move = tree.move(id, parentId);
        LOG.info("Device {} {}", id, parentId == null ? "has no parent now" : "moved below " + parentId);
        changes.moved(move);
    }

    @Override
    public List<Device> children(String id) {
        if (!exists(id)) {
            throw DeviceKeys.noDevice(id);
        }
        return devices().stream().filter(d -> id.equals(d.parentId())).toList();
    }

    @Override
    public List<Device> descendants(String id) {
        if (!exists(id)) {
            throw DeviceKeys.noDevice(id);
        }
        Map<String, Device> all = new HashMap<>();
        devices().forEach(d -> all.put(d.id(), d));
        return tree.descendants(id).stream().filter(all::containsKey).map(all::get).toList();
    }

    /** @return the device's ancestors, nearest first, read afresh (empty if it has no parent or is unknown) */
    List<String> ancestors(String id) {
        return tree.ancestors(id);
    }

    /** @return whether {@code id} is below {@code ancestor}, from the cache (no database read once it is known) */
    boolean isBelowCached(String id, String ancestor) {
        return ancestry.isBelow(id, ancestor);
    }

    /** @return what the device scope of {@code gateway} is made of, read afresh */
    DeviceTree.ScopeRows scopeRows(String gateway) {
        return tree.scope(gateway);
    }

    /** @return the row's keys, opened: primary, secondary (either may be null) */
    String[] keysOf(DeviceRepository.Row row) {
        return new String[] {repository.key(row).orElse(null), repository.secondaryKey(row).orElse(null)};
    }

    /** Tells the gateways above a device (through every hub node) that their device scopes changed. */
    void scopeChanged(String deviceId) {
        changes.scopeChanged(deviceId);
    }

    /**
     * Hears of devices whose connections must authenticate again (through any node): a gateway above them was
     * disabled, deleted or re-keyed, and may have connected them on its behalf.
     */
    Runnable onReauthenticate(Consumer<String> listener) {
        return runnable(events.onReauthenticate(listener));
    }

    /** Hears of changes of device scopes, through any node. @return stops listening */
    Runnable onScopeChange(Consumer<DeviceEvents.ScopeChange> listener) {
        return runnable(events.onScopeChanged(listener));
    }

    @Override
    public void setThumbprint(String id, String thumbprint) {
        keys.setThumbprint(id, thumbprint);
        events.rekeyed(id);
        changes.credentialsChanged(id, "has another thumbprint");
    }

    @Override
    public void setSecondaryThumbprint(String id, String thumbprint) {
        keys.setSecondaryThumbprint(id, thumbprint);
        events.rekeyed(id);
        changes.credentialsChanged(id, "has another thumbprint");
    }

    /** @return the thumbprint of the device's second X.509 certificate, if it has one */
    Optional<String> secondaryThumbprint(String id) {
        return repository.secondaryThumbprint(id);
    }

    /** Hears of devices whose keys or thumbprints changed (through any node), so that their connections are closed. */
    Runnable onRekey(Consumer<String> listener) {
        return runnable(events.onRekeyed(listener));
    }

    /** @return the thumbprint of the device's X.509 certificate, if it has one */
    Optional<String> thumbprint(String id) {
        return keys.thumbprint(id);
    }

    /** @return true if {@code key} is the device's primary or secondary key (which counts as activity) */
    boolean verify(String id, String key) {
        boolean ok = keys.verify(id, key);
        if (ok) {
            activity.seen(id);
        }
        return ok;
    }

    /**
     * @return the device's key, to check a SAS token with; empty if the device is unknown or was registered before
     *         keys were kept (rotate its key to use SAS tokens)
     */
    Optional<String> key(String id) {
        return keys.key(id);
    }

    /** @return the device's secondary key, if it has one */
    Optional<String> secondaryKey(String id) {
        return keys.secondaryKey(id);
    }

    /** Hears of devices registered through this node (after they are stored). */
    Runnable onCreate(Consumer<String> listener) {
        return runnable(events.onCreated(listener));
    }

    /** Hears of disabled devices (through any node), so that their connections are closed. */
    Runnable onDisable(Consumer<String> listener) {
        return runnable(events.onDisabled(listener));
    }

    /**
     * Hears of deleted devices (through any node), so that what is kept for them in memory (messages, connections)
     * goes with them.
     *
     * @return stops listening (when the listener's component stops)
     */
    Runnable onDelete(Consumer<String> listener) {
        return runnable(events.onDeleted(listener));
    }

    private static Runnable runnable(Subscription subscription) {
        return subscription::close;
    }

    /** Counts a connection of the device (or of one of its modules) opening or closing on this node. */
    void connection(String id, boolean open) {
        activity.connection(id, open);
    }

    /** @return the device's open connections held by the other hub nodes (as of their last flush), 0 if none */
    int connectionsElsewhere(String id) {
        return repository.registered(id).map(DeviceRepository.Registered::connectionsElsewhere).orElse(0);
    }

    /** Notes that a device authenticated. */
    void seen(String id) {
        activity.seen(id);
    }

    /** Counts a telemetry message from a device. */
    void received(String id) {
        activity.received(id);
    }

    /** Adds what this node saw since the last flush to the database. */
    void flush() {
        activity.flush();
    }
}
