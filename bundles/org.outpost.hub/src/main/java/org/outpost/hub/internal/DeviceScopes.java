/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.ArrayList;
import java.util.List;

import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.DeviceScope;

/**
 * Gateways' device scopes, from the hub database: every device below the gateway with its keys (opened from their
 * sealed form), SHA-256 thumbprints and whether it is enabled, and the module identities (with keys) of those that are
 * gateways themselves ({@link DeviceTree#scope}); its version is the database's scope counter, which grows with every
 * change on any hub node. A scope carries keys: it is never logged.
 */
final class DeviceScopes {

    private final DeviceStore devices;
    private final ModuleStore modules;

    DeviceScopes(DeviceStore devices, ModuleStore modules) {
        this.devices = devices;
        this.modules = modules;
    }

    /** @return the scope of gateway {@code gateway}, read afresh */
    DeviceScope of(String gateway) {
        DeviceTree.ScopeRows read = devices.scopeRows(gateway);
        List<DeviceScope.Device> out = new ArrayList<>();
        for (DeviceRepository.Row row : read.rows()) {
            boolean edge = read.edges().contains(row.id());
            List<DeviceScope.Module> identities = new ArrayList<>();
            if (edge) {
                for (ModuleIdentity m : modules.modules(row.id())) {
                    ModuleRegistry.Keys keys = modules.keys(row.id(), m.moduleId()).orElse(null);
                    if (keys != null) {
                        identities.add(new DeviceScope.Module(m.moduleId(), keys.primaryKey(), keys.secondaryKey()));
                    }
                }
            }
            String[] keys = devices.keysOf(row);
            out.add(new DeviceScope.Device(row.id(), row.parentId(), !row.disabled(), edge, keys[0], keys[1],
                    sha256(row.thumbprint()), sha256(read.secondaryThumbprints().get(row.id())), identities));
        }
        return new DeviceScope(gateway, read.version(), out);
    }

    /** Tells {@code changed} the new version whenever the scope of {@code caller}'s device changes (any hub node). */
    Subscription onChange(Identity caller, java.util.function.LongConsumer changed) {
        String gateway = caller.deviceId();
        Runnable stop = devices.onScopeChange(change -> {
            if (change.gateways().contains(gateway)) {
                changed.accept(change.version());
            }
        });
        return stop::run;
    }

    /** Only SHA-256 thumbprints go to a gateway: it accepts no SHA-1 one (a certificate with it can be forged). */
    private static String sha256(String thumbprint) {
        return thumbprint != null && thumbprint.length() == 64 ? thumbprint : null;
    }
}
