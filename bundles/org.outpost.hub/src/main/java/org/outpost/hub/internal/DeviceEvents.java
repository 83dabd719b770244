/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.List;
import java.util.function.Consumer;

import org.outpost.commons.Listeners;
import org.outpost.commons.Listeners.Subscription;
import org.outpost.hub.storage.HubDatabase;

/**
 * What happens to devices, for whom it concerns: registrations through this node, and deletions, disablings and
 * changes of credentials (keys, thumbprints) through any node. This node's are told to its listeners at once and
 * announced to the other hub nodes through the database's events ({@value #DELETED}, {@value #DISABLED},
 * {@value #REKEYED}), whose listeners hear of them in turn; every node closes the device's connections it holds.
 */
final class DeviceEvents implements AutoCloseable {

    static final String DELETED = "device-deleted";
    static final String DISABLED = "device-disabled";
    static final String REKEYED = "device-rekeyed";
    /**
     * The connections of a device (and its modules) authenticate again: a gateway above it, whose credentials may
     * have connected it on its behalf, was disabled, deleted or re-keyed.
     */
    static final String REAUTHENTICATE = "device-reauthenticate";
    /** A change of the device scopes of some gateways: {@code <version>;<gateway>,<gateway>...}. */
    static final String SCOPE = "device-scope";

    /**
     * The device scopes of some gateways changed.
     *
     * @param version the scope version of the change
     * @param gateways whose scopes changed (the ancestors of the device that changed)
     */
    record ScopeChange(long version, java.util.Set<String> gateways) {
        String format() {
            return version + ";" + String.join(",", gateways);
        }

        static ScopeChange parse(String data) {
            int semicolon = data.indexOf(';');
            String list = data.substring(semicolon + 1);
            return new ScopeChange(Long.parseLong(data.substring(0, semicolon)), list.isEmpty() ? java.util.Set.of()
                    : java.util.Set.of(list.split(",")));
        }
    }

    private final HubDatabase db;
    private final Listeners<Consumer<String>> created = new Listeners<>("device registrations");
    private final Listeners<Consumer<String>> deleted = new Listeners<>("device deletions");
    private final Listeners<Consumer<String>> disabled = new Listeners<>("device disablings");
    private final Listeners<Consumer<String>> rekeyed = new Listeners<>("device credential changes");
    private final Listeners<Runnable> resync = new Listeners<>("missed device events");
    private final Listeners<Consumer<String>> reauthenticate = new Listeners<>("device re-authentications");
    private final Listeners<Consumer<ScopeChange>> scopes = new Listeners<>("device scope changes");
    private final List<Runnable> stopListening;

    /** Listens to the other nodes' events until closed. */
    DeviceEvents(HubDatabase db) {
        this.db = db;
        this.stopListening = List.of(db.subscribe(DELETED, id -> tell(deleted, id)),
                db.subscribe(DISABLED, id -> tell(disabled, id)),
                db.subscribe(REKEYED, id -> tell(rekeyed, id)),
                db.subscribe(REAUTHENTICATE, id -> tell(reauthenticate, id)),
                db.subscribe(SCOPE, data -> {
                    ScopeChange change = ScopeChange.parse(data);
                    scopes.fire(l -> l.accept(change));
                }),
                db.onResync(() -> resync.fire(Runnable::run)));
    }

    @Override
    public void close() {
        stopListening.forEach(Runnable::run);
    }

    /** Hears of devices registered through this node (after they are stored). */
    Subscription onCreated(Consumer<String> listener) {
        return created.subscribe(listener);
    }

    /** Hears of devices deleted through any node (after they are). */
    Subscription onDeleted(Consumer<String> listener) {
        return deleted.subscribe(listener);
    }

    /** Hears of devices disabled through any node (after they are). */
    Subscription onDisabled(Consumer<String> listener) {
        return disabled.subscribe(listener);
    }

    /** Hears of devices whose keys or thumbprints changed through any node (after they did). */
    Subscription onRekeyed(Consumer<String> listener) {
        return rekeyed.subscribe(listener);
    }

    /** Hears that events of other nodes may have been missed: what is kept from them should be read again. */
    Subscription onResync(Runnable listener) {
        return resync.subscribe(listener);
    }

    /** Hears of devices whose connections authenticate again (through any node). */
    Subscription onReauthenticate(Consumer<String> listener) {
        return reauthenticate.subscribe(listener);
    }

    /** Tells the other nodes, then this node's listeners, that a device's connections authenticate again. */
    void reauthenticate(String id) {
        db.publish(REAUTHENTICATE, id);
        tell(reauthenticate, id);
    }

    /** Hears of changes of device scopes through any node (after they are stored). */
    Subscription onScopeChanged(Consumer<ScopeChange> listener) {
        return scopes.subscribe(listener);
    }

    /** Tells the other nodes, then this node's listeners, that device scopes changed. */
    void scopeChanged(ScopeChange change) {
        db.publish(SCOPE, change.format());
        scopes.fire(l -> l.accept(change));
    }

    /** Tells this node's listeners that a device was registered through it. */
    void created(String id) {
        tell(created, id);
    }

    /** Tells the other nodes, then this node's listeners, that a device was deleted. */
    void deleted(String id) {
        db.publish(DELETED, id);
        tell(deleted, id);
    }

    /** Tells the other nodes, then this node's listeners, that a device was disabled. */
    void disabled(String id) {
        db.publish(DISABLED, id);
        tell(disabled, id);
    }

    /** Tells the other nodes, then this node's listeners, that a device's keys or thumbprints changed. */
    void rekeyed(String id) {
        db.publish(REKEYED, id);
        tell(rekeyed, id);
    }

    private static void tell(Listeners<Consumer<String>> listeners, String id) {
        listeners.fire(l -> l.accept(id));
    }
}
