/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.TelemetryTopic;

class IotHubAclTest {

    private final IotHubAcl acl = new IotHubAcl();
    private final Identity device = Identity.device("d1");
    private final Identity module = Identity.module("d1", "m1");
    private final Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);

    @Test
    void everyIdentitySubscribesToItsTwinMethodsAndIdentityAnswersAndOnlyNonModulesToTheirOwnMessages() {
        for (Identity i : new Identity[] {device, module, leaf}) {
            assertThat(acl.maySubscribe(i, "$iothub/twin/res/#")).isTrue();
            assertThat(acl.maySubscribe(i, "$iothub/twin/PATCH/properties/desired/#")).isTrue();
            assertThat(acl.maySubscribe(i, "$iothub/methods/POST/#")).isTrue();
            assertThat(acl.maySubscribe(i, "$outpost/identities/res/#")).isTrue();
            // Who is told of scope changes is the registry's decision (IdentityRegistry.onScopeChange).
            assertThat(acl.maySubscribe(i, "$outpost/identities/scope/changed/#")).isTrue();
            assertThat(acl.maySubscribe(i, "$outpost/identities/scope/#")).isFalse();
            assertThat(acl.maySubscribe(i, "$outpost/identities/#")).isFalse();
            assertThat(acl.maySubscribe(i, "#")).isFalse();
            assertThat(acl.maySubscribe(i, "devices/other/messages/devicebound/#")).isFalse();
        }
        assertThat(acl.maySubscribe(device, "devices/d1/messages/devicebound/#")).isTrue();
        assertThat(acl.maySubscribe(leaf, "devices/leaf/messages/devicebound/#")).isTrue();
        assertThat(acl.maySubscribe(module, "devices/d1/messages/devicebound/#")).isFalse();
        assertThat(acl.maySubscribe(device, "devices/d1/messages/devicebound/+")).isFalse();
    }

    @Test
    void aModuleSubscribesToItsOwnInputsOnlyAndNothingElseDoes() {
        assertThat(acl.maySubscribe(module, "devices/d1/modules/m1/inputs/#")).isTrue();
        assertThat(acl.maySubscribe(module, "devices/d1/modules/m2/inputs/#")).isFalse();
        assertThat(acl.maySubscribe(module, "devices/d1/modules/+/inputs/#")).isFalse();
        assertThat(acl.maySubscribe(module, "devices/d1/modules/m1/inputs/in1/#")).isFalse();
        assertThat(acl.maySubscribe(module, "devices/d1/modules/m1/#")).isFalse();
        assertThat(acl.maySubscribe(device, "devices/d1/modules/m1/inputs/#")).isFalse();
        assertThat(acl.maySubscribe(Identity.module("d2", "m1"), "devices/d1/modules/m1/inputs/#")).isFalse();
    }

    @Test
    void aDeviceSendsUnderItsOwnTopicsAndAModuleOnlyUnderItsOwnModule() {
        assertThat(acl.maySend(device, telemetry("d1", null))).isTrue();
        assertThat(acl.maySend(device, telemetry("d1", "m2"))).isTrue();
        assertThat(acl.maySend(device, telemetry("d2", null))).isFalse();
        assertThat(acl.maySend(module, telemetry("d1", "m1"))).isTrue();
        assertThat(acl.maySend(module, telemetry("d1", "m2"))).isFalse();
        assertThat(acl.maySend(module, telemetry("d1", null))).isFalse();
    }

    private static TelemetryTopic telemetry(String device, String module) {
        return new TelemetryTopic(device, module, Map.of());
    }
}
