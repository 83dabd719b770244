/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.broker.api.BrokerAuthenticator.Action;

class ModuleAccessControlTest {

    private static final Optional<String> URL = Optional.of("tcp://127.0.0.1:1883");

    private final FakeModuleIdentities identities = new FakeModuleIdentities("gw1");
    private final ModuleAccessControl access = new ModuleAccessControl(() -> "gw1", identities);

    {
        identities.create("pump");
        identities.create("valve");
    }

    @Test
    void aGrantTellsTheModuleWhoItIsAndHowToReachTheBroker() {
        Map<String, String> env = access.grant("pump", URL);
        assertThat(env).containsEntry(ModuleAccess.MODULE_ID, "pump").containsEntry(ModuleAccess.DEVICE_ID, "gw1")
                .doesNotContainKey("IOTEDGE_MODULEID").containsEntry(ModuleAccess.MQTT_URL, "tcp://127.0.0.1:1883")
                .containsEntry(ModuleAccess.MQTT_HOST, "127.0.0.1").containsEntry(ModuleAccess.MQTT_PORT, "1883")
                .containsEntry(ModuleAccess.MQTT_CLIENT_ID, "gw1/pump").containsEntry(ModuleAccess.MQTT_USERNAME, "pump")
                .containsEntry(ModuleAccess.EVENTS_TOPIC, "devices/gw1/modules/pump/messages/events/")
                .containsEntry(ModuleAccess.INPUTS_TOPIC, "devices/gw1/modules/pump/inputs/");
        assertThat(env.get(ModuleAccess.MQTT_PASSWORD)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(access.granted()).containsExactly("pump");
    }

    @Test
    void onlyTheLatestPasswordOfAModuleIsAccepted() {
        String first = access.grant("pump", URL).get(ModuleAccess.MQTT_PASSWORD);
        String second = access.grant("pump", URL).get(ModuleAccess.MQTT_PASSWORD);
        assertThat(second).isNotEqualTo(first);
        assertThat(access.authenticate("pump", first, "127.0.0.1")).isEmpty();
        assertThat(access.authenticate("pump", second, "127.0.0.1")).contains("pump");
        // The IoT Hub user name form of Azure IoT SDK module clients.
        assertThat(access.authenticate("gateway.local/gw1/pump/?api-version=2021-04-12", second, "127.0.0.1"))
                .contains("pump");
        assertThat(access.authenticate("gateway.local/other-device/pump", second, "127.0.0.1")).isEmpty();
        assertThat(access.authenticate("valve", second, "127.0.0.1")).isEmpty();

        access.revoke("pump");
        assertThat(access.authenticate("pump", second, "127.0.0.1")).isEmpty();
        assertThat(access.authorize("pump", Action.SEND, "devices.gw1.modules.pump.messages.events")).isFalse();
    }

    @Test
    void aModulePublishesOnlyItsOwnTelemetryAndSubscribesOnlyToItsOwnInputs() {
        access.grant("pump", URL);
        assertThat(access.authorize("pump", Action.SEND, "devices.gw1.modules.pump.messages.events.%24\\.on=out"))
                .isTrue();
        assertThat(access.authorize("pump", Action.SEND, "devices.gw1.modules.valve.messages.events")).isFalse();
        assertThat(access.authorize("pump", Action.SEND, "devices.gw1.modules.pump.messages.eventsX")).isFalse();
        assertThat(access.authorize("pump", Action.SEND, "devices.gw2.modules.pump.messages.events")).isFalse();
        assertThat(access.authorize("pump", Action.CONSUME, "devices.gw1.modules.pump.inputs.#")).isTrue();
        assertThat(access.authorize("pump", Action.CONSUME, "devices.gw1.modules.pump.inputs.#::gw1/pump.q"))
                .isTrue();
        assertThat(access.authorize("pump", Action.CONSUME, "devices.gw1.modules.valve.inputs.#")).isFalse();
        assertThat(access.authorize("pump", Action.CONSUME, "outpost.endpoint.upstream")).isFalse();
        assertThat(access.authorize("pump", Action.MANAGE, "devices.gw1.modules.pump.inputs")).isFalse();
    }

    @Test
    void aGrantNeedsAValidModuleIdWithAnIdentity() {
        assertThatThrownBy(() -> access.grant("a/b", URL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("module id 'a/b' is not valid");
        assertThatThrownBy(() -> access.grant("ghost", URL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module 'ghost' has no identity on this gateway: the deployment makes one before it"
                        + " starts the module");
    }

    @Test
    void aPasswordHoldsOnlyWhileTheModuleHasTheIdentityItWasIssuedFor() {
        String pump = access.grant("pump", URL).get(ModuleAccess.MQTT_PASSWORD);
        String valve = access.grant("valve", URL).get(ModuleAccess.MQTT_PASSWORD);
        List<String> revoked = new ArrayList<>();
        access.onRevoked(revoked::add);

        identities.rekey("pump");
        assertThat(access.authenticate("pump", pump, "127.0.0.1")).isEmpty();
        identities.delete("valve");
        assertThat(access.authenticate("valve", valve, "127.0.0.1")).isEmpty();
        // Made again, the module is another generation: the old password stays refused.
        identities.create("valve");
        assertThat(access.authenticate("valve", valve, "127.0.0.1")).isEmpty();

        assertThat(revoked).containsExactly("pump", "valve");
        assertThat(access.granted()).isEmpty();
        String fresh = access.grant("pump", URL).get(ModuleAccess.MQTT_PASSWORD);
        assertThat(access.authenticate("pump", fresh, "127.0.0.1")).contains("pump");
    }

    @Test
    void revokingAModuleTellsTheBrokerToCloseItsConnections() throws Exception {
        access.grant("pump", URL);
        List<String> revoked = new ArrayList<>();
        AutoCloseable subscription = access.onRevoked(revoked::add);

        access.revoke("pump");
        subscription.close();
        access.revoke("valve");

        assertThat(revoked).containsExactly("pump");
    }

    @Test
    void aModuleMayUseOnlyItsOwnMqttClientIds() {
        assertThat(access.mayUseClientId("pump", "gw1/pump")).isTrue();
        assertThat(access.mayUseClientId("pump", "gw1/pump/out")).isTrue();
        // pump-out is another module's id; the gateway's own clients and other devices' ids are not pump's either.
        assertThat(access.mayUseClientId("pump", "gw1/pump-out")).isFalse();
        assertThat(access.mayUseClientId("pump", "gw1/valve")).isFalse();
        assertThat(access.mayUseClientId("pump", "gw2/pump")).isFalse();
        assertThat(access.mayUseClientId("pump", "pump")).isFalse();
        assertThat(access.mayUseClientId("pump", "gw1/pump/a/b")).isFalse();
        assertThat(access.mayUseClientId("pump", "gw1/pump/")).isFalse();
        assertThat(access.mayUseClientId("pump", "outpost-upstream")).isFalse();
        assertThat(access.mayUseClientId("pump", "")).isFalse();
    }
}
