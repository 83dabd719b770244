/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;

/** Module identities in memory, each call recorded; a module's workload socket is {@code /run/wl/<module>.sock}. */
class FakeIdentities implements ModuleIdentities {

    final List<String> calls = new ArrayList<>();
    private final Map<String, ModuleIdentity> identities = new ConcurrentHashMap<>();
    private final AtomicInteger generations = new AtomicInteger();

    @Override
    public String deviceId() {
        return "gw1";
    }

    @Override
    public synchronized ModuleIdentity create(String moduleId) {
        calls.add("create " + moduleId);
        return identities.computeIfAbsent(moduleId, m -> new ModuleIdentity("gw1", m, "gen" + generations
                .incrementAndGet(), "k1", "k2", Instant.now(), false));
    }

    @Override
    public Optional<ModuleIdentity> identity(String moduleId) {
        return Optional.ofNullable(identities.get(moduleId));
    }

    @Override
    public List<ModuleIdentity> identities() {
        return List.copyOf(identities.values());
    }

    @Override
    public synchronized boolean delete(String moduleId) {
        calls.add("delete " + moduleId);
        return identities.remove(moduleId) != null;
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
        ModuleIdentity id = identity(moduleId).orElseThrow(() -> new IllegalArgumentException("no identity: "
                + moduleId));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IOTEDGE_WORKLOADURI", placement == Placement.CONTAINER ? "unix://"
                + Placement.CONTAINER_WORKLOAD_SOCKET : "unix:///run/wl/" + moduleId + ".sock");
        env.put("IOTEDGE_MODULEID", moduleId);
        env.put("IOTEDGE_MODULEGENERATIONID", id.generationId());
        env.put("IOTEDGE_GATEWAYHOSTNAME", placement == Placement.CONTAINER ? "host.containers.internal"
                : "localhost");
        return env;
    }

    @Override
    public String connectionString(String moduleId) {
        throw new UnsupportedOperationException();
    }
}
