/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.DeviceScope;

class ChildRegistryTest {

    private final ChildFakes.Scope scope = new ChildFakes.Scope();
    private final ChildFakes.Relay relay = new ChildFakes.Relay();
    private final ChildRegistry registry = new ChildRegistry(() -> "gw", scope, relay);
    private final Identity b = new Identity(Identity.Kind.CHILD_GATEWAY, "gwB", null);
    private final Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);

    private static DeviceScope scope(long version, boolean belowEnabled, boolean leafEnabled) {
        return new DeviceScope("gw", version, List.of(
                new DeviceScope.Device("leaf", "gw", leafEnabled, false, "k", null, null, null, List.of()),
                new DeviceScope.Device("gwB", "gw", true, true, "k", null, null, null, List.of()),
                new DeviceScope.Device("below", "gwB", belowEnabled, false, "k", null, null, null, List.of())));
    }

    @Test
    void aChildGatewayGetsThePartOfTheScopeBelowIt() {
        assertThat(registry.scope(b).status()).as("no scope yet").isEqualTo(404);
        scope.replace(scope(1, true, true));

        DeviceScope below = DeviceScope.parse(registry.scope(b).bodyJson());
        assertThat(below.deviceId()).isEqualTo("gwB");
        assertThat(below.devices()).extracting(DeviceScope.Device::deviceId).containsExactly("below");
        assertThat(registry.scope(Identity.module("gwB", "$edgeHub")).status()).isEqualTo(200);
        assertThat(registry.scope(leaf).status()).isEqualTo(403);
        assertThat(registry.scope(Identity.module("gw", "$edgeHub")).status()).isEqualTo(403);
        assertThat(registry.scope(Identity.module("gwB", "filter")).status()).isEqualTo(403);
    }

    @Test
    void aChildGatewayHearsOnlyOfChangesBelowIt() {
        scope.replace(scope(1, true, true));
        List<Long> heard = new CopyOnWriteArrayList<>();
        Subscription s = registry.onScopeChange(b, heard::add);

        scope.replace(scope(2, true, false));
        scope.replace(scope(3, false, false));
        s.close();
        scope.replace(scope(4, true, false));

        assertThat(heard).containsExactly(3L);
    }

    @Test
    void moduleIdentityRequestsOfAChildGatewayGoToTheRelay() {
        assertThat(registry.putModule(Identity.module("gwB", "$edgeAgent"), "filter", "{}").status()).isEqualTo(200);
        assertThat(registry.deleteModule(b, "filter").status()).isEqualTo(204);
        assertThat(registry.putModule(leaf, "x", "{}").status()).isEqualTo(403);
        assertThat(registry.putModule(Identity.module("gw", "$edgeAgent"), "x", "{}").status()).isEqualTo(403);
        assertThat(relay.calls).containsExactly("putModule gwB/$edgeAgent filter", "deleteModule gwB filter");
    }
}
