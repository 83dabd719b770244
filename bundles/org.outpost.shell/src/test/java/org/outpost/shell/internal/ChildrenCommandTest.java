/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.outpost.commons.Json;
import org.outpost.downstream.api.ChildConnections;
import org.outpost.downstream.api.ChildRelay;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.DeviceScope;

class ChildrenCommandTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static final DeviceScope SCOPE = new DeviceScope("gw", 3, List.of(
            new DeviceScope.Device("leaf", "gw", true, false, "secret-key", null, null, null, List.of()),
            new DeviceScope.Device("gwB", "gw", true, true, null, null, "AB".repeat(32), null, List.of(
                    new DeviceScope.Module("filter", "module-secret", null))),
            new DeviceScope.Device("off", "gwB", false, false, "k", null, null, null, List.of())));

    @Test
    void eachDeviceOfTheScopeWithItsConnectionAndRelayThenConnectedModules() {
        Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
        Identity edgeHub = Identity.module("gwB", "$edgeHub");
        List<ChildrenCommand.Row> rows = ChildrenCommand.rows(Optional.of(SCOPE), List.of(
                new ChildConnections.Connection(leaf, T, "/127.0.0.1:5000", 7, 70),
                new ChildConnections.Connection(edgeHub, T, "/10.0.0.2:6000", 0, 0)), List.of(
                        new ChildRelay.Link(leaf, false, T, 2, 0), new ChildRelay.Link(edgeHub, true, T, 0, 0)));

        assertThat(rows).extracting(ChildrenCommand.Row::id).containsExactly("leaf", "gwB", "off", "gwB/$edgeHub");
        assertThat(rows.get(0)).isEqualTo(new ChildrenCommand.Row("leaf", "device", "gw", true, true, T,
                "/127.0.0.1:5000", 7, "down", 2));
        assertThat(rows.get(1).kind()).isEqualTo("gateway");
        assertThat(rows.get(1).connected()).isFalse();
        assertThat(rows.get(1).upstream()).isEqualTo("-");
        assertThat(rows.get(2).enabled()).isFalse();
        assertThat(rows.get(3)).isEqualTo(new ChildrenCommand.Row("gwB/$edgeHub", "module", "-", true, true, T,
                "/10.0.0.2:6000", 0, "up", 0));
    }

    @Test
    void theScopeIsShownWithoutKeys() {
        String json = Json.line(SCOPE.devices().stream().map(ChildrenCommand::withoutKeys).toList());

        assertThat(json).contains("\"credentials\":\"SAS key\"").contains("X.509 thumbprint").contains("filter")
                .doesNotContain("secret").doesNotContain("ABAB");
    }

    @Test
    void noScopeMeansNoDevicesButConnectedIdentitiesStillShow() {
        assertThat(ChildrenCommand.rows(Optional.empty(), List.of(), List.of())).isEmpty();
    }
}
