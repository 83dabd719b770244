/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.SasToken;

class DeviceAuthenticatorTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private ModuleStore modules;
    private DeviceAuthenticator broker;
    private String key;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        key = devices.create("gw");
        modules = new ModuleStore(db, devices, Boxes.BOX);
        broker = new DeviceAuthenticator(new IdentityCheck(devices, modules, Duration.ofDays(365), Instant::now), devices);
    }

    @AfterEach
    void tearDown() {
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    @Test
    void aConsumerGroupLogsInOnlyWithItsClientIdPrefixAndNeverAsADevice() {
        broker.consumerGroupTokens((group, token) -> group.equals("g1") && token.equals("t"));
        devices.create("events-g1-gw");
        assertThat(broker.authenticate("$events/g1", "t", "events-g1-a", "test")).contains("$events/g1");
        assertThat(broker.authenticate("$events/g1", "t", "gw", "test")).isEmpty();
        assertThat(broker.authenticate("$events/g1", "t", "backend-1", "test")).isEmpty();
        assertThat(broker.authenticate("$events/g1", "t", "events-g2-a", "test")).isEmpty();
        assertThat(broker.authenticate("$events/g1", "t", "events-g1-gw", "test")).isEmpty();
        assertThat(broker.authenticate("$events/g1", "x", "events-g1-a", "test")).isEmpty();
    }

    @Test
    void theUserNameNamesTheDeviceOrItsModuleInIotHubsForms() {
        assertThat(DeviceAuthenticator.deviceId("gw-1")).isEqualTo("gw-1");
        assertThat(DeviceAuthenticator.deviceId("hub.example/gw-1/?api-version=2020-09-30")).isEqualTo("gw-1");
        assertThat(DeviceAuthenticator.moduleId("hub.example/gw-1/?api-version=2020-09-30")).isNull();
        assertThat(DeviceAuthenticator.moduleId("gw-1")).isNull();
        assertThat(DeviceAuthenticator.deviceId("hub.example/gw-1/pump/?api-version=2020-09-30")).isEqualTo("gw-1");
        assertThat(DeviceAuthenticator.moduleId("hub.example/gw-1/pump/?api-version=2020-09-30")).isEqualTo("pump");
    }

    @Test
    void aModuleGetsInWithItsOwnKeyOnlyAndOnlyToItsOwnTopics() {
        String pumpKey = Base64.getEncoder().encodeToString(new byte[32]);
        modules.put("gw", "pump", "g1", pumpKey, Base64.getEncoder().encodeToString(new byte[16]));
        String pumpUser = "hub.example/gw/pump/?api-version=2021-04-12";

        assertThat(broker.authenticate(pumpUser, pumpKey, "gw/pump", "test")).contains("gw/pump");
        assertThat(broker.authenticate(pumpUser, key, "gw/pump", "test")).isEmpty();
        assertThat(broker.authenticate("hub.example/gw/filter/?api-version=2021-04-12", key, "gw/filter", "test"))
                .isEmpty();
        assertThat(broker.authenticate("hub.example/gw/$edgeAgent/?api-version=2021-04-12", key, "gw/$edgeAgent",
                "test")).contains("gw");
        assertThat(broker.authorize("gw/pump", BrokerAuthenticator.Action.SEND,
                "devices.gw.modules.pump.messages.events")).isTrue();
        assertThat(broker.authorize("gw/pump", BrokerAuthenticator.Action.SEND, "devices.gw.messages.events"))
                .isFalse();
        assertThat(broker.authorize("gw/pump", BrokerAuthenticator.Action.SEND,
                "devices.gw.modules.filter.messages.events")).isFalse();
        assertThat(broker.authorize("gw", BrokerAuthenticator.Action.SEND, "devices.gw.modules.pump.messages.events"))
                .isTrue();
    }

    @Test
    void theClientIdMustBeTheIdentitySoThatNoSessionOfAnotherCanBeTakenOver() {
        devices.create("other");

        assertThat(broker.authenticate("gw", key, "gw", "test")).contains("gw");
        assertThat(broker.authenticate("gw", key, "other", "test")).isEmpty();
        assertThat(broker.authenticate("gw", key, "gw/$edgeAgent", "test")).isEmpty();
        assertThat(broker.authenticate("gw", key, "outpost-hub-ingest", "test")).isEmpty();
        assertThat(DeviceAuthenticator.refusal("gw", "outpost-hub-ingest")).contains(
                "client id 'outpost-hub-ingest' is reserved for the hub's own clients");
        assertThat(DeviceAuthenticator.refusal("gw", "other")).contains("client id 'other' is not gw: a device"
                + " connects with its id as client id (a module with <deviceId>/<moduleId>)");
    }

    @Test
    void aDeviceNamedLikeTheHubsOwnClientCannotTakeItsClientId() {
        String impostor = devices.create("outpost-hub-ingest");

        assertThat(broker.authenticate("outpost-hub-ingest", impostor, "outpost-hub-ingest", "test")).isEmpty();
        assertThat(broker.authenticate(DeviceAuthenticator.INTERNAL_USER, broker.internalToken(),
                "outpost-hub-ingest", "test")).contains(DeviceAuthenticator.INTERNAL_USER);
        assertThat(broker.authenticate(DeviceAuthenticator.INTERNAL_USER, broker.internalToken(), "gw", "test"))
                .isEmpty();
        assertThat(broker.authenticate(DeviceAuthenticator.INTERNAL_USER, "guess", "outpost-hub-ingest", "test"))
                .isEmpty();
    }

    @Test
    void onlyMqttClientsAreLetIn() {
        assertThat(broker.authenticate("gw", key, "test")).isEmpty();
        assertThat(broker.authenticate("gw", key, null, "test")).isEmpty();
    }

    @Test
    void aDisabledDeletedOrReKeyedDeviceIsRefusedAtOnce() {
        devices.setEnabled("gw", false);
        assertThat(broker.authenticate("gw", key, "gw", "test")).isEmpty();
        devices.setEnabled("gw", true);
        assertThat(broker.authenticate("gw", key, "gw", "test")).contains("gw");

        String rotated = devices.rotateKey("gw");
        assertThat(broker.authenticate("gw", key, "gw", "test")).isEmpty();
        assertThat(broker.authenticate("gw", rotated, "gw", "test")).contains("gw");

        devices.delete("gw");
        assertThat(broker.authenticate("gw", rotated, "gw", "test")).isEmpty();
    }

    @Test
    void aSasTokenIsAcceptedAsOnTheIotHubEndpointWithinItsLifetime() {
        String resource = "hub.example/devices/gw";
        String user = "hub.example/gw/?api-version=2021-04-12";

        assertThat(broker.authenticate(user, SasToken.create(resource, key, Instant.now().plusSeconds(3600)), "gw",
                "test")).contains("gw");
        assertThat(broker.authenticate("gw", SasToken.create("anyhost/devices/gw", key, Instant.now()
                .plusSeconds(3600)), "gw", "test")).contains("gw");
        assertThat(broker.authenticate(user, SasToken.create(resource, key, Instant.now().plus(Duration.ofDays(
                400))), "gw", "test")).isEmpty();
        assertThat(broker.authenticate(user, "SharedAccessSignature sr=x&sig=y&se=9000000000000000000", "gw",
                "test")).isEmpty();
    }
}
