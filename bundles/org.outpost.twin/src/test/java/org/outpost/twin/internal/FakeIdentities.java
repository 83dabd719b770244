/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.outpost.commons.Listeners;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;

/** Module identities in memory, as the identity bundle keeps them (without its file, environment or workload API). */
final class FakeIdentities implements ModuleIdentities {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String deviceId;
    private final Map<String, ModuleIdentity> identities = new TreeMap<>();
    private final Set<String> deleted = new TreeSet<>();
    private final Listeners<Runnable> changes = new Listeners<>("identity changes");
    /** Module ids create refuses, as for an invalid id. */
    final Set<String> invalid = new TreeSet<>();

    FakeIdentities(String deviceId) {
        this.deviceId = deviceId;
    }

    static String newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public ModuleIdentity create(String moduleId) {
        ModuleIdentity made;
        synchronized (this) {
            if (invalid.contains(moduleId) || moduleId.startsWith("$")) {
                throw new IllegalArgumentException("'" + moduleId + "' is not a valid module id");
            }
            if (identities.containsKey(moduleId)) {
                return identities.get(moduleId);
            }
            made = new ModuleIdentity(deviceId, moduleId, UUID.randomUUID().toString(), newKey(), newKey(),
                    Instant.now(), false);
            identities.put(moduleId, made);
            deleted.remove(moduleId);
        }
        changes.fire(Runnable::run);
        return made;
    }

    @Override
    public synchronized Optional<ModuleIdentity> identity(String moduleId) {
        return Optional.ofNullable(identities.get(moduleId));
    }

    @Override
    public synchronized List<ModuleIdentity> identities() {
        return List.copyOf(identities.values());
    }

    @Override
    public boolean delete(String moduleId) {
        synchronized (this) {
            if (identities.remove(moduleId) == null) {
                return false;
            }
            deleted.add(moduleId);
        }
        changes.fire(Runnable::run);
        return true;
    }

    @Override
    public synchronized Pending pending() {
        List<ModuleIdentity> toRegister = new ArrayList<>();
        identities.values().stream().filter(i -> !i.registered()).forEach(toRegister::add);
        return new Pending(toRegister, List.copyOf(deleted));
    }

    @Override
    public synchronized void registeredAtHub(String moduleId, String generationId) {
        ModuleIdentity id = identities.get(moduleId);
        if (id != null && id.generationId().equals(generationId)) {
            identities.put(moduleId, id.withRegistered(true));
        }
    }

    @Override
    public synchronized void deletedAtHub(String moduleId) {
        if (!identities.containsKey(moduleId)) {
            deleted.remove(moduleId);
        }
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        return changes.subscribe(listener);
    }

    @Override
    public Map<String, String> environment(String moduleId, Placement placement) {
        throw new UnsupportedOperationException("environment");
    }

    @Override
    public String connectionString(String moduleId) {
        throw new UnsupportedOperationException("connectionString");
    }
}
