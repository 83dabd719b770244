/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.outpost.commons.Listeners;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;

/** Module identities in memory: made, re-keyed and deleted as the gateway's are, with their revocations. */
final class FakeModuleIdentities implements ModuleIdentities {

    private final String device;
    private final Map<String, ModuleIdentity> modules = new ConcurrentHashMap<>();
    private final Listeners<Consumer<String>> revoked = new Listeners<>("revocations");

    FakeModuleIdentities(String device) {
        this.device = device;
    }

    @Override
    public String deviceId() {
        return device;
    }

    @Override
    public ModuleIdentity create(String moduleId) {
        return modules.computeIfAbsent(moduleId, m -> new ModuleIdentity(device, m, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), Instant.EPOCH, false));
    }

    @Override
    public ModuleIdentity rekey(String moduleId) {
        ModuleIdentity old = identity(moduleId).orElseThrow();
        ModuleIdentity made = new ModuleIdentity(device, moduleId, old.generationId(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), old.created(), false);
        modules.put(moduleId, made);
        revoked.fire(r -> r.accept(moduleId));
        return made;
    }

    @Override
    public Optional<ModuleIdentity> identity(String moduleId) {
        return Optional.ofNullable(modules.get(moduleId));
    }

    @Override
    public List<ModuleIdentity> identities() {
        return List.copyOf(modules.values());
    }

    @Override
    public boolean delete(String moduleId) {
        boolean had = modules.remove(moduleId) != null;
        if (had) {
            revoked.fire(r -> r.accept(moduleId));
        }
        return had;
    }

    @Override
    public AutoCloseable onRevoked(Consumer<String> listener) {
        return revoked.subscribe(listener);
    }

    @Override
    public Pending pending() {
        return new Pending(List.of(), List.of());
    }

    @Override
    public void registeredAtHub(String moduleId, String generationId) {
    }

    @Override
    public void deletedAtHub(String moduleId) {
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        return () -> {
        };
    }

    @Override
    public Map<String, String> environment(String moduleId, Placement placement) {
        return Map.of();
    }

    @Override
    public String connectionString(String moduleId) {
        throw new UnsupportedOperationException();
    }
}
