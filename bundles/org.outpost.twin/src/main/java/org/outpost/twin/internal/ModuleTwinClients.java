/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The twin clients of the gateway's modules at the hub, one per module the runtime reports (bundles, and process and
 * container modules), each connecting as the module with its own identity's primary key. A module that has no identity
 * (a bundle dropped into {@code deploy/}, say) is given one. A module's client is made only once the hub holds its
 * identity ({@link ModuleIdentity#registered()}): the hub refuses an identity it does not hold, and counts each refusal
 * against the gateway's address. A module whose identity is made anew (another generation) gets a new client once that
 * generation is registered. If the hub refuses a module's twin all the same (its database was reset, say), the client
 * is closed, the identity registered again, and the module's twin tries again after a back-off of its own (10 s
 * doubling up to 10 min), so that the hub never sees a stream of refused connections from the gateway. Runs on the
 * twins' worker only.
 */
final class ModuleTwinClients {

    /** Opens a module's twin client. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param key the Base64 key its SAS tokens are signed with
         * @param refused to run (on the worker) when the hub refuses the module's credentials
         */
        TwinClient open(String module, String key, Runnable refused) throws MqttException;
    }

    private record Open(TwinClient client, String generationId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModuleTwinClients.class);

    private final EdgeRuntime runtime;
    private final ModuleIdentities identities;
    private final Opener opener;
    private final Consumer<String> registerAgain;
    private final Retries refused;
    private final Map<String, Open> clients = new HashMap<>();
    /** Modules already logged as waiting for registration, or as unable to have an identity. */
    private final Set<String> told = new HashSet<>();

    /**
     * @param registerAgain registers a module's identity at the hub again, though it holds it by our books
     * @param retryMin the first wait of a module after the hub refused its twin, doubling up to {@code retryMax}
     */
    ModuleTwinClients(EdgeRuntime runtime, ModuleIdentities identities, Opener opener, Consumer<String> registerAgain,
            Duration retryMin, Duration retryMax) {
        this.runtime = runtime;
        this.identities = identities;
        this.opener = opener;
        this.registerAgain = registerAgain;
        this.refused = new Retries(retryMin, retryMax);
    }

    /** Opens the clients of modules whose identities the hub holds, and closes those of modules gone or made anew. */
    void sync() {
        Set<String> present = new HashSet<>();
        for (ModuleInfo m : runtime.modules()) {
            if (!m.name().startsWith("$")) {
                present.add(m.name());
            }
        }
        for (Iterator<Map.Entry<String, Open>> it = clients.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Open> e = it.next();
            if (!present.contains(e.getKey())) {
                e.getValue().client().close();
                it.remove();
            }
        }
        told.retainAll(present);
        for (String module : present) {
            Optional<ModuleIdentity> id = identity(module);
            if (id.isPresent()) {
                sync(module, id.get());
            }
        }
    }

    private void sync(String module, ModuleIdentity id) {
        Open open = clients.get(module);
        if (open != null && !open.generationId().equals(id.generationId())) {
            LOG.info("Module {}: its identity was made anew (generation {}); its twin reconnects as that", module,
                    id.generationId());
            open.client().close();
            clients.remove(module);
            open = null;
        }
        if (open != null) {
            if (open.client().connected()) {
                refused.succeeded(module);
            }
            return;
        }
        if (refused.waiting(module)) {
            return;
        }
        if (!id.registered()) {
            if (told.add(module)) {
                LOG.info("Module {}: its twin connects to the hub once the hub holds its identity", module);
            }
            return;
        }
        try {
            clients.put(module, new Open(opener.open(module, id.primaryKey(), () -> refused(module)),
                    id.generationId()));
            told.remove(module);
        } catch (MqttException e) {
            LOG.error("Cannot make the twin client of module {}: {}", module, e.toString());
        }
    }

    /** The hub refused the module's twin (on its connect, on the worker): close it, register the identity again. */
    private void refused(String module) {
        Open open = clients.remove(module);
        if (open != null) {
            open.client().close();
        }
        long delayMs = refused.failed(module);
        LOG.warn("Module {}: the hub refused its identity; registering it again, and its twin tries again in {} s",
                module, delayMs / 1000);
        registerAgain.accept(module);
    }

    /** @return the module's identity, made if it had none; empty (logged once) if it cannot have one */
    private Optional<ModuleIdentity> identity(String module) {
        Optional<ModuleIdentity> id = identities.identity(module);
        if (id.isPresent()) {
            return id;
        }
        try {
            ModuleIdentity made = identities.create(module);
            LOG.info("Module {} had no identity: made one (generation {})", module, made.generationId());
            return Optional.of(made);
        } catch (IllegalArgumentException e) {
            if (told.add(module)) {
                LOG.error("Module {} cannot have an identity, so it has no twin at the hub: {}", module,
                        e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** @return the module's client, if it has one now */
    Optional<TwinClient> client(String module) {
        return Optional.ofNullable(clients.get(module)).map(Open::client);
    }

    /** Sends what changed in each module's reported properties. */
    void reportAll() {
        clients.values().forEach(o -> o.client().report());
    }

    /** Closes every client. */
    void close() {
        clients.values().forEach(o -> o.client().close());
        clients.clear();
    }
}
