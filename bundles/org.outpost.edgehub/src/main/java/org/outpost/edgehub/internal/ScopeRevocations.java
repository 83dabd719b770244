/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.Objects;
import java.util.function.Predicate;

import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.DeviceScope;

/**
 * Which connected children a new device scope no longer accepts as they connected: a device that left the scope, was
 * disabled, re-keyed, given other thumbprints, moved, or made a gateway (or not), or any of those for a device above
 * it in the scope (a child connected on behalf of a gateway above it); and a module whose identity was deleted or
 * re-keyed. Their connections are closed; those still valid reconnect and are checked again.
 */
final class ScopeRevocations {

    private ScopeRevocations() {
    }

    /**
     * @param before the scope the connections were accepted under (null: none, so no child is connected)
     * @param after the new scope
     * @param gatewayId this gateway (its own modules are never children)
     * @return true for the identities to disconnect
     */
    static Predicate<Identity> revoked(DeviceScope before, DeviceScope after, String gatewayId) {
        return identity -> {
            if (identity.deviceId().equals(gatewayId)) {
                return false;
            }
            if (before == null) {
                return after.device(identity.deviceId()).isEmpty();
            }
            String now = chain(after, identity.deviceId());
            if (now == null || now.contains("|disabled|") || !now.equals(chain(before, identity.deviceId()))) {
                return true;
            }
            return identity.moduleId() != null && !Objects.equals(module(before, identity), module(after, identity));
        };
    }

    /** @return what the device and every device above it in the scope hold, top last; null if it is not in it */
    private static String chain(DeviceScope scope, String deviceId) {
        StringBuilder out = new StringBuilder();
        String at = deviceId;
        for (int hops = 0; hops <= scope.devices().size(); hops++) {
            var d = scope.device(at);
            if (d.isEmpty()) {
                return hops == 0 ? null : out.toString();
            }
            DeviceScope.Device x = d.get();
            out.append(x.deviceId()).append('|').append(x.enabled() ? "enabled" : "disabled").append('|').append(x
                    .parentId()).append('|').append(x.edge()).append('|').append(x.primaryKey()).append('|').append(x
                            .secondaryKey()).append('|').append(x.primaryThumbprint()).append('|').append(x
                                    .secondaryThumbprint()).append('\n');
            at = x.parentId();
        }
        return out.toString();
    }

    private static String module(DeviceScope scope, Identity identity) {
        if (ChildAuthenticator.SYSTEM_MODULES.contains(identity.moduleId())) {
            return "system";
        }
        return scope.device(identity.deviceId()).flatMap(d -> d.modules().stream().filter(m -> m.moduleId().equals(
                identity.moduleId())).findFirst()).map(m -> m.primaryKey() + "|" + m.secondaryKey()).orElse(null);
    }
}
