/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.Telemetry;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;

/**
 * A gateway and the devices below it at the hub's real listeners: it publishes their telemetry at the broker's MQTT
 * port, connects them on its behalf at the IoT Hub endpoint, and reads and follows its device scope there.
 */
class GatewayChildrenTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private HubListeners hub;
    private TelemetryHub ingestion;
    private String gwKey;
    private String leafKey;
    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        hub = new HubListeners(dir, Map.of());
        gwKey = hub.devices.create("gw");
        leafKey = hub.devices.create("leaf", "gw");
        hub.devices.create("stranger");
        ingestion = new TelemetryHub(hub.broker, hub.authenticator, hub.devices, TelemetryRouting.NONE,
                HubListeners.config(TelemetryHub.Config.class, Map.of()));
        // Ingestion connects in the background; what is sent before it subscribed has no subscriber to go to.
        await().atMost(SOON).until(ingestion::subscribed);
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(HubListeners::closeQuietly);
        ingestion.deactivate();
        hub.close();
    }

    private MqttClient keep(MqttClient c) {
        clients.add(c);
        return c;
    }

    private String gatewayToken() {
        return SasToken.create(HubListeners.HOST + "/devices/gw", gwKey, Instant.now().plusSeconds(3600));
    }

    @Test
    void aGatewayPublishesTheTelemetryOfADeviceBelowItWhichIsIngestedAsThatDevices() throws Exception {
        MqttClient gw = keep(hub.atBroker("gw", "gw", gwKey));

        gw.publish("devices/leaf/messages/events/", "from leaf".getBytes(StandardCharsets.UTF_8), 1, false);
        gw.publish("devices/leaf/modules/m/messages/events/", "from leaf/m".getBytes(StandardCharsets.UTF_8), 1,
                false);

        await().atMost(SOON).until(() -> ingestion.recent("leaf", 10).size() == 2);
        assertThat(ingestion.recent("leaf", 10)).extracting(Telemetry.Received::moduleId).containsExactly(null, "m");
        assertThat(hub.devices.device("leaf").orElseThrow().messages()).isEqualTo(2);
        assertThat(hub.devices.device("leaf").orElseThrow().lastSeen()).isNotNull();
        assertThat(hub.devices.device("gw").orElseThrow().messages()).isZero();
    }

    @Test
    void atTheIotHubEndpointToo() throws Exception {
        MqttClient gw = keep(hub.atEndpoint("gw", null, gwKey));

        gw.publish("devices/leaf/messages/events/", "from leaf".getBytes(StandardCharsets.UTF_8), 1, false);
        gw.publish("devices/stranger/messages/events/", "not below".getBytes(StandardCharsets.UTF_8), 1, false);
        gw.publish("devices/leaf/modules/m/messages/events/", "from leaf/m".getBytes(StandardCharsets.UTF_8), 1,
                false);

        await().atMost(SOON).until(() -> ingestion.recent("leaf", 10).size() == 2);
        assertThat(ingestion.recent("leaf", 10)).extracting(Telemetry.Received::moduleId).containsExactly(null, "m");
        assertThat(ingestion.recent("stranger", 10)).isEmpty();
        MqttClient leaf = keep(hub.atEndpoint("leaf", null, leafKey));
        leaf.publish("devices/gw/messages/events/", "a leaf is no gateway".getBytes(StandardCharsets.UTF_8), 1,
                false);
        leaf.publish("devices/leaf/messages/events/", "own".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(SOON).until(() -> ingestion.recent("leaf", 10).size() == 3);
        assertThat(ingestion.recent("gw", 10)).isEmpty();
    }

    @Test
    void aGatewayMayNotPublishForADeviceNotBelowItNorAfterTheDeviceMovedAway() throws Exception {
        MqttClient gw = keep(hub.atBroker("gw", "gw", gwKey));
        assertThatThrownBy(() -> gw.publish("devices/stranger/messages/events/", "no".getBytes(
                StandardCharsets.UTF_8), 1, false)).isInstanceOf(MqttException.class);

        MqttClient again = keep(hub.atBroker("gw", "gw", gwKey));
        again.publish("devices/leaf/messages/events/", "1".getBytes(StandardCharsets.UTF_8), 1, false);
        hub.devices.setParent("leaf", null);
        assertThatThrownBy(() -> again.publish("devices/leaf/messages/events/", "2".getBytes(
                StandardCharsets.UTF_8), 1, false)).isInstanceOf(MqttException.class);
        await().atMost(SOON).until(() -> ingestion.recent("leaf", 10).size() == 1);
        assertThat(ingestion.recent("stranger", 10)).isEmpty();
    }

    @Test
    void aMoveThroughAnotherNodeIsSeenHereAtOnce() throws Exception {
        assertThat(hub.devices.isBelowCached("leaf", "gw")).isTrue();
        // Another node takes leaf away from gw: this node's cache still says it is below, until the event arrives.
        hub.db.transaction("moving leaf elsewhere", c -> {
            try (var s = c.prepareStatement("UPDATE devices SET parent_id = NULL WHERE id = 'leaf'")) {
                return s.executeUpdate();
            }
        });
        assertThat(hub.devices.isBelowCached("leaf", "gw")).isTrue();

        hub.fromAnotherNode(DeviceEvents.SCOPE, "99;gw");

        assertThat(hub.devices.isBelowCached("leaf", "gw")).isFalse();
    }

    @Test
    void aDeviceConnectedOnItsGatewaysBehalfIsClosedWhenItIsDisabled() throws Exception {
        MqttClient leaf = keep(hub.atEndpointWith("leaf", gatewayToken()));
        MqttClient atBroker = keep(hub.atBroker("leaf", "leaf", gatewayToken()));
        assertThat(leaf.isConnected()).isTrue();

        hub.devices.setEnabled("leaf", false);

        await().atMost(SOON).until(() -> !leaf.isConnected() && !atBroker.isConnected());
        assertThatThrownBy(() -> keep(hub.atEndpointWith("leaf", gatewayToken()))).isInstanceOf(
                MqttException.class);
        assertThatThrownBy(() -> keep(hub.atEndpointWith("stranger", gatewayToken()))).isInstanceOf(
                MqttException.class);
    }

    @Test
    void devicesConnectedOnAGatewaysBehalfAuthenticateAgainWhenTheGatewayIsReKeyed() throws Exception {
        String oldToken = gatewayToken();
        MqttClient leaf = keep(hub.atEndpointWith("leaf", oldToken));
        MqttClient atBroker = keep(hub.atBroker("leaf", "leaf", oldToken));

        hub.devices.rotateKey("gw");

        await().atMost(SOON).until(() -> !leaf.isConnected() && !atBroker.isConnected());
        assertThatThrownBy(() -> keep(hub.atEndpointWith("leaf", oldToken))).isInstanceOf(MqttException.class);
        // Its own key still lets it in.
        assertThat(keep(hub.atEndpoint("leaf", null, leafKey)).isConnected()).isTrue();
    }

    @Test
    void theEdgeHubReadsItsScopeWithKeysAndHearsOfEveryChange() throws Exception {
        String childKey = hub.devices.create("child-gw", "gw");
        String moduleKey = Base64.getEncoder().encodeToString(new byte[32]);
        hub.modules.put("child-gw", "filter", "g1", moduleKey, moduleKey);
        List<String> answers = new CopyOnWriteArrayList<>();
        List<String> changes = new CopyOnWriteArrayList<>();
        MqttClient edgeHub = keep(hub.atEndpoint("gw", "$edgeHub", gwKey));
        edgeHub.subscribe(IotHubTopic.IDENTITY_RESPONSES, 1, (t, m) -> answers.add(new String(m.getPayload(),
                StandardCharsets.UTF_8)));
        edgeHub.subscribe(IotHubTopic.SCOPE_CHANGES, 1, (t, m) -> changes.add(t + " q" + m.getQos()));

        edgeHub.publish(new IotHubTopic.ScopeRequest("1").format(), new byte[0], 1, false);

        await().atMost(SOON).until(() -> answers.size() == 1);
        DeviceScope scope = DeviceScope.parse(answers.get(0));
        assertThat(scope.deviceId()).isEqualTo("gw");
        assertThat(scope.devices()).extracting(DeviceScope.Device::deviceId).containsExactly("child-gw", "leaf");
        DeviceScope.Device leaf = scope.device("leaf").orElseThrow();
        assertThat(leaf.primaryKey()).isEqualTo(leafKey);
        assertThat(leaf.enabled()).isTrue();
        assertThat(leaf.edge()).isFalse();
        DeviceScope.Device child = scope.device("child-gw").orElseThrow();
        assertThat(child.primaryKey()).isEqualTo(childKey);
        assertThat(child.edge()).isTrue();
        assertThat(child.modules()).singleElement().satisfies(m -> {
            assertThat(m.moduleId()).isEqualTo("filter");
            assertThat(m.primaryKey()).isEqualTo(moduleKey);
        });

        hub.devices.setEnabled("leaf", false);

        await().atMost(SOON).until(() -> changes.size() == 1);
        assertThat(changes.get(0)).startsWith("$outpost/identities/scope/changed/?$version=").endsWith(" q1");
        long version = IotHubTopic.parse(changes.get(0).split(" ")[0]).map(IotHubTopic.ScopeChanged.class::cast)
                .orElseThrow().version();
        assertThat(version).isGreaterThan(scope.version());
        edgeHub.publish(new IotHubTopic.ScopeRequest("2").format(), new byte[0], 1, false);
        await().atMost(SOON).until(() -> answers.size() == 2);
        DeviceScope now = DeviceScope.parse(answers.get(1));
        assertThat(now.version()).isGreaterThanOrEqualTo(version);
        assertThat(now.device("leaf").orElseThrow().enabled()).isFalse();
    }

    @Test
    void aScopeChangeThroughAnotherNodeIsToldToTheGatewayConnectedHere() throws Exception {
        List<String> changes = new CopyOnWriteArrayList<>();
        MqttClient edgeHub = keep(hub.atEndpoint("gw", "$edgeHub", gwKey));
        edgeHub.subscribe(IotHubTopic.SCOPE_CHANGES, 1, (t, m) -> changes.add(t));
        MqttClient other = keep(hub.atEndpoint("stranger", null, hub.devices.rotateKey("stranger")));
        List<String> otherChanges = new CopyOnWriteArrayList<>();
        other.subscribe(IotHubTopic.SCOPE_CHANGES, 1, (t, m) -> otherChanges.add(t));

        hub.fromAnotherNode(DeviceEvents.SCOPE, "42;top,gw");

        await().atMost(SOON).until(() -> changes.contains("$outpost/identities/scope/changed/?$version=42"));
        assertThat(otherChanges).isEmpty();
    }

    @Test
    void aLeafOrAGatewaysOwnModuleGetsNoScope() throws Exception {
        List<String> answers = new CopyOnWriteArrayList<>();
        MqttClient leaf = keep(hub.atEndpoint("leaf", null, leafKey));
        leaf.subscribe(IotHubTopic.IDENTITY_RESPONSES, 1, (t, m) -> answers.add(t));
        leaf.publish(new IotHubTopic.ScopeRequest("1").format(), new byte[0], 1, false);
        await().atMost(SOON).until(() -> answers.size() == 1);
        // A device without children has an empty scope; it is no secret.
        assertThat(answers.get(0)).isEqualTo("$outpost/identities/res/200/?$rid=1");

        String moduleKey = Base64.getEncoder().encodeToString(new byte[32]);
        hub.modules.put("gw", "pump", "g1", moduleKey, moduleKey);
        List<String> pumpAnswers = new CopyOnWriteArrayList<>();
        MqttClient pump = keep(hub.atEndpoint("gw", "pump", moduleKey));
        pump.subscribe(IotHubTopic.IDENTITY_RESPONSES, 1, (t, m) -> pumpAnswers.add(t));
        pump.publish(new IotHubTopic.ScopeRequest("2").format(), new byte[0], 1, false);
        await().atMost(SOON).until(() -> pumpAnswers.size() == 1);
        assertThat(pumpAnswers.get(0)).isEqualTo("$outpost/identities/res/403/?$rid=2");
    }
}
