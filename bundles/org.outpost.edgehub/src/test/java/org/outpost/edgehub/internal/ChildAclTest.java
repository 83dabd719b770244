/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TelemetryTopic;

class ChildAclTest {

    private static final DeviceScope SCOPE = new DeviceScope("gw", 1, List.of(
            new DeviceScope.Device("leaf", "gw", true, false, "k", null, null, null, List.of()),
            new DeviceScope.Device("gwB", "gw", true, true, "k", null, null, null, List.of()),
            new DeviceScope.Device("below", "gwB", true, false, "k", null, null, null, List.of())));

    private final ChildAcl acl = new ChildAcl(() -> "gw", () -> Optional.of(SCOPE));
    private final Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
    private final Identity b = new Identity(Identity.Kind.CHILD_GATEWAY, "gwB", null);
    private final Identity bHub = Identity.module("gwB", "$edgeHub");
    private final Identity bModule = Identity.module("gwB", "filter");
    private final Identity own = Identity.module("gw", "filter");

    private boolean send(Identity who, String topic) {
        return acl.maySend(who, TelemetryTopic.parse(topic).orElseThrow());
    }

    @Test
    void whoSendsWhere() {
        assertThat(send(leaf, "devices/leaf/messages/events/")).isTrue();
        assertThat(send(leaf, "devices/leaf/modules/m/messages/events/")).isFalse();
        assertThat(send(leaf, "devices/gwB/messages/events/")).isFalse();
        assertThat(send(b, "devices/gwB/messages/events/")).isTrue();
        assertThat(send(b, "devices/gwB/modules/filter/messages/events/")).isTrue();
        assertThat(send(b, "devices/below/messages/events/")).isTrue();
        assertThat(send(b, "devices/below/modules/m/messages/events/")).isTrue();
        assertThat(send(b, "devices/leaf/messages/events/")).isFalse();
        assertThat(send(b, "devices/gw/modules/filter/messages/events/")).isFalse();
        assertThat(send(bModule, "devices/gwB/modules/filter/messages/events/")).isTrue();
        assertThat(send(bModule, "devices/below/messages/events/")).isFalse();
        assertThat(send(own, "devices/gw/modules/filter/messages/events/")).isTrue();
        assertThat(send(own, "devices/gw/modules/other/messages/events/")).isFalse();
    }

    @Test
    void whoSubscribesToWhat() {
        for (Identity who : List.of(leaf, b, bHub, bModule, own)) {
            assertThat(acl.maySubscribe(who, IotHubTopic.TWIN_RESPONSES)).isTrue();
            assertThat(acl.maySubscribe(who, IotHubTopic.METHOD_CALLS)).isTrue();
            assertThat(acl.maySubscribe(who, IotHubTopic.DESIRED_PATCHES)).isTrue();
        }
        assertThat(acl.maySubscribe(leaf, "devices/leaf/messages/devicebound/#")).isTrue();
        assertThat(acl.maySubscribe(leaf, "devices/gwB/messages/devicebound/#")).isFalse();
        assertThat(acl.maySubscribe(leaf, IotHubTopic.SCOPE_CHANGES)).isFalse();
        assertThat(acl.maySubscribe(leaf, IotHubTopic.IDENTITY_RESPONSES)).isFalse();
        assertThat(acl.maySubscribe(b, "devices/gwB/messages/devicebound/#")).isTrue();
        assertThat(acl.maySubscribe(b, IotHubTopic.SCOPE_CHANGES)).isTrue();
        assertThat(acl.maySubscribe(b, IotHubTopic.IDENTITY_RESPONSES)).isTrue();
        assertThat(acl.maySubscribe(bHub, IotHubTopic.SCOPE_CHANGES)).isTrue();
        assertThat(acl.maySubscribe(bModule, IotHubTopic.SCOPE_CHANGES)).isFalse();
        assertThat(acl.maySubscribe(own, "devices/gw/modules/filter/inputs/#")).isTrue();
        assertThat(acl.maySubscribe(leaf, "#")).isFalse();
    }
}
