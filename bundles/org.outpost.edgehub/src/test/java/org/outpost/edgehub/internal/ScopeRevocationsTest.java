/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.DeviceScope;

class ScopeRevocationsTest {

    private static DeviceScope.Device leaf(String key, boolean enabled) {
        return new DeviceScope.Device("leaf", "gw", enabled, false, key, null, null, null, List.of());
    }

    private static DeviceScope.Device b(String key, String moduleKey) {
        return new DeviceScope.Device("gwB", "gw", true, true, key, null, null, null, List.of(new DeviceScope.Module(
                "filter", moduleKey, null)));
    }

    private static final DeviceScope.Device BELOW = new DeviceScope.Device("below", "gwB", true, false, "kb", null,
            null, null, List.of());

    private static Predicate<Identity> revoked(DeviceScope after) {
        DeviceScope before = new DeviceScope("gw", 1, List.of(leaf("k1", true), b("kB", "kf"), BELOW));
        return ScopeRevocations.revoked(before, after, "gw");
    }

    private final Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
    private final Identity b = new Identity(Identity.Kind.CHILD_GATEWAY, "gwB", null);
    private final Identity below = new Identity(Identity.Kind.CHILD_DEVICE, "below", null);
    private final Identity filter = Identity.module("gwB", "filter");
    private final Identity edgeHub = Identity.module("gwB", "$edgeHub");
    private final Identity own = Identity.module("gw", "filter");

    @Test
    void onlyWhatChanged() {
        Predicate<Identity> same = revoked(new DeviceScope("gw", 2, List.of(leaf("k1", true), b("kB", "kf"), BELOW)));
        assertThat(List.of(leaf, b, below, filter, edgeHub, own)).noneMatch(same);

        Predicate<Identity> rekeyed = revoked(new DeviceScope("gw", 2, List.of(leaf("k2", true), b("kB", "kf"),
                BELOW)));
        assertThat(List.of(leaf)).allMatch(rekeyed);
        assertThat(List.of(b, below, filter, edgeHub, own)).noneMatch(rekeyed);

        Predicate<Identity> moduleRekeyed = revoked(new DeviceScope("gw", 2, List.of(leaf("k1", true), b("kB", "kg"),
                BELOW)));
        assertThat(List.of(filter)).allMatch(moduleRekeyed);
        assertThat(List.of(leaf, b, below, edgeHub)).noneMatch(moduleRekeyed);

        Predicate<Identity> gatewayRekeyed = revoked(new DeviceScope("gw", 2, List.of(leaf("k1", true), b("kB2",
                "kf"), BELOW)));
        assertThat(List.of(b, below, edgeHub, filter)).as("B and what connected on its behalf").allMatch(
                gatewayRekeyed);
        assertThat(List.of(leaf, own)).noneMatch(gatewayRekeyed);

        Predicate<Identity> disabledAndDeleted = revoked(new DeviceScope("gw", 2, List.of(leaf("k1", false), b("kB",
                "kf"))));
        assertThat(List.of(leaf, below)).allMatch(disabledAndDeleted);
        assertThat(List.of(b, filter, edgeHub, own)).noneMatch(disabledAndDeleted);
    }
}
