/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

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
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.downstream.api.ChildConnections;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;

/**
 * Devices below the gateway at its endpoint, on a real socket with Paho clients as the Azure SDKs connect: a leaf
 * device, a child gateway and its drain, a connection on behalf of the child gateway, and refusals.
 */
class ChildrenEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GW_KEY = key("gw1-module");
    private static final String LEAF_KEY = key("leaf");
    private static final String B_KEY = key("gwB");
    private static final String FILTER_KEY = key("gwB-filter");

    @TempDir
    Path dir;

    private final Fakes.Identities identities = new Fakes.Identities();
    private final Fakes.Router router = new Fakes.Router();
    private final Fakes.Twins twins = new Fakes.Twins();
    private final Fakes.InVmBroker broker = new Fakes.InVmBroker();
    private final ChildFakes.Scope scope = new ChildFakes.Scope();
    private final ChildFakes.Relay relay = new ChildFakes.Relay();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    ChildrenEndpointTest() throws Exception {
        identities.add("filter", GW_KEY, GW_KEY);
        scope.replace(scope(1, LEAF_KEY, true));
    }

    private static String key(String seed) {
        return Base64.getEncoder().encodeToString((seed + "-0123456789abcdef0123456789abcdef").substring(0, 32)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static DeviceScope scope(long version, String leafKey, boolean leafEnabled) {
        return new DeviceScope("gw1", version, List.of(
                new DeviceScope.Device("leaf", "gw1", leafEnabled, false, leafKey, null, null, null, List.of()),
                new DeviceScope.Device("off", "gw1", false, false, key("off"), null, null, null, List.of()),
                new DeviceScope.Device("gwB", "gw1", true, true, B_KEY, null, null, null, List.of(
                        new DeviceScope.Module("filter", FILTER_KEY, null))),
                new DeviceScope.Device("leafBelowB", "gwB", true, false, key("leafBelowB"), null, null, null,
                        List.of())));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        broker.close();
    }

    private EdgeHubEndpoint start() throws Exception {
        EdgeHubEndpoint endpoint = new EdgeHubEndpoint(identities, new Fakes.Certificates(dir.resolve("none.p12")),
                router, broker, twins, scope, relay, EdgeHubEndpointTest.config());
        open.add(endpoint::deactivate);
        return endpoint;
    }

    private MqttClient connect(EdgeHubEndpoint endpoint, String clientId, String resource, String key)
            throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + endpoint.port(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("hub.example/" + clientId + "/?api-version=2021-04-12");
        o.setPassword(SasToken.create(resource, key, Instant.now().plusSeconds(3600)).toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setAutomaticReconnect(false);
        c.connect(o);
        open.add(() -> {
            if (c.isConnected()) {
                c.disconnectForcibly(1000);
            }
            c.close();
        });
        return c;
    }

    private static int refusal(ThrowingConnect connect) {
        try {
            connect.run();
            throw new AssertionError("it connected");
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @FunctionalInterface
    interface ThrowingConnect {
        void run() throws MqttException;
    }

    @Test
    void aLeafSendsAsADeviceAndItsTwinMethodsAndCloudToDeviceMessagesGoThroughTheRelay() throws Exception {
        EdgeHubEndpoint endpoint = start();
        MqttClient leaf = connect(endpoint, "leaf", "hub.example/devices/leaf", LEAF_KEY);
        List<String> received = new CopyOnWriteArrayList<>();
        leaf.subscribe(new String[] {IotHubTopic.TWIN_RESPONSES, IotHubTopic.METHOD_CALLS, "devices/leaf/messages"
                + "/devicebound/#"}, new int[] {1, 1, 1}, new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
                    (t, m) -> received.add("twin " + new String(m.getPayload(), StandardCharsets.UTF_8)), (t, m) -> {
                        IotHubTopic.MethodCall call = (IotHubTopic.MethodCall) IotHubTopic.parse(t).orElseThrow();
                        leaf.publish(new IotHubTopic.MethodResponse(200, call.rid()).format(), "{\"ok\":1}"
                                .getBytes(), 1, false);
                    }, (t, m) -> received.add("c2d " + new String(m.getPayload(), StandardCharsets.UTF_8))});

        leaf.publish("devices/leaf/messages/events/%24.cmid=forged&k=v", "21.5".getBytes(), 1, false);
        leaf.publish("$iothub/twin/GET/?$rid=1", new byte[0], 1, false);
        relay.send("leaf", new CloudToDeviceMessage(1, Map.of("$.mid", "c1"), "hello".getBytes()));

        await().atMost(WAIT).until(() -> router.routed.size() == 1 && received.size() == 2);
        Message m = router.routed.get(0);
        assertThat(m.connectionDeviceId()).isEqualTo("leaf");
        assertThat(m.connectionModuleId()).isNull();
        assertThat(m.properties()).containsEntry("k", "v");
        assertThat(received).contains("c2d hello").anyMatch(r -> r.startsWith("twin ") && r.contains(
                "\"relayed\":\"leaf\""));
        await().atMost(WAIT).until(() -> relay.delivered.contains("leaf 1"));
        assertThat(relay.calls).contains("connected leaf CHILD_DEVICE");
        assertThat(relay.invoke(new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null), "reboot").toCompletableFuture()
                .get()).isEqualTo(new MethodResult(200, "{\"ok\":1}"));
        List<ChildConnections.Connection> children = endpoint.connected();
        assertThat(children).singleElement().satisfies(c -> {
            assertThat(c.identity()).isEqualTo(new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null));
            assertThat(c.messagesIn()).isEqualTo(1);
            assertThat(c.bytesIn()).isEqualTo(4);
            assertThat(c.remote()).contains("127.0.0.1");
        });

        leaf.disconnect();
        await().atMost(WAIT).until(() -> relay.calls.contains("disconnected leaf") && endpoint.connected()
                .isEmpty());
    }

    @Test
    void strangersDisabledDevicesForgedTokensAndOtherDevicesTopicsAreRefusedAndOthersUnaffected()
            throws Exception {
        EdgeHubEndpoint endpoint = start();
        MqttClient leaf = connect(endpoint, "leaf", "hub.example/devices/leaf", LEAF_KEY);
        int notAuthorized = MqttException.REASON_CODE_NOT_AUTHORIZED;

        assertThat(refusal(() -> connect(endpoint, "stranger", "hub.example/devices/stranger", key("stranger"))))
                .isEqualTo(notAuthorized);
        assertThat(refusal(() -> connect(endpoint, "off", "hub.example/devices/off", key("off")))).isEqualTo(
                notAuthorized);
        // leafBelowB with leaf's own (valid) token: leaf is not above leafBelowB.
        assertThat(refusal(() -> connect(endpoint, "leafBelowB", "hub.example/devices/leaf", LEAF_KEY))).isEqualTo(
                notAuthorized);
        // leaf's client id, signed with another key.
        assertThat(refusal(() -> connect(endpoint, "leaf", "hub.example/devices/leaf", B_KEY))).isEqualTo(
                notAuthorized);
        // The gateway's own device id is not a child.
        assertThat(refusal(() -> connect(endpoint, "gw1", "hub.example/devices/gw1", GW_KEY))).isEqualTo(
                notAuthorized);

        leaf.publish("devices/gwB/messages/events/", "not-mine".getBytes(), 1, false);
        leaf.publish("devices/leaf/modules/x/messages/events/", "not-a-module".getBytes(), 1, false);
        leaf.publish("devices/leaf/messages/events/", "mine".getBytes(), 1, false);
        await().atMost(WAIT).until(() -> !router.routed.isEmpty());
        assertThat(router.routed).extracting(Message::bodyAsString).containsExactly("mine");
        assertThat(leaf.isConnected()).isTrue();
    }

    @Test
    void aChildGatewaysDrainSendsForTheDevicesBelowItAndConnectsThemOnItsBehalf() throws Exception {
        EdgeHubEndpoint endpoint = start();
        MqttClient b = connect(endpoint, "gwB", "hub.example/devices/gwB", B_KEY);
        b.subscribe(IotHubTopic.SCOPE_CHANGES, 1);

        b.publish("devices/leaf/messages/events/", "not-below-B".getBytes(), 1, false);
        b.publish("devices/gwB/modules/filter/messages/events/%24.on=alerts", "from-filter".getBytes(), 1, false);
        b.publish("devices/leafBelowB/messages/events/", "from-leafBelowB".getBytes(), 1, false);
        await().atMost(WAIT).until(() -> router.routed.size() == 2);
        assertThat(router.routed).extracting(m -> m.connectionDeviceId() + "/" + m.connectionModuleId() + " "
                + m.bodyAsString()).containsExactly("gwB/filter from-filter", "leafBelowB/null from-leafBelowB");

        // B's relay: the device below it, with B's own device token; B's module with its own key; B's $edgeHub.
        connect(endpoint, "leafBelowB", "hub.example/devices/gwB", B_KEY);
        connect(endpoint, "gwB/filter", "hub.example/devices/gwB/modules/filter", FILTER_KEY);
        connect(endpoint, "gwB/$edgeHub", "hub.example/devices/gwB/modules/$edgeHub", B_KEY);
        // Not B's module key for another module, nor B's token for a device that is not below B.
        assertThat(refusal(() -> connect(endpoint, "gwB/other", "hub.example/devices/gwB/modules/other",
                FILTER_KEY))).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal(() -> connect(endpoint, "leaf", "hub.example/devices/gwB", B_KEY))).isEqualTo(
                MqttException.REASON_CODE_NOT_AUTHORIZED);

        await().atMost(WAIT).until(() -> endpoint.connected().size() == 4);
        assertThat(relay.calls).contains("connected gwB CHILD_GATEWAY", "connected leafBelowB CHILD_DEVICE",
                "connected gwB/filter MODULE", "connected gwB/$edgeHub MODULE");
        // This gateway's own module of the same name is re-keyed: it is disconnected; B's filter is not this
        // gateway's, it stays.
        MqttClient ownFilter = connect(endpoint, "gw1/filter", "hub.example/devices/gw1/modules/filter", GW_KEY);
        identities.rekey("filter");
        await().atMost(WAIT).until(() -> !ownFilter.isConnected());
        assertThat(endpoint.connected()).extracting(c -> c.identity().id()).contains("gwB/filter");
    }

    @Test
    void aChildReKeyedDisabledOrDeletedInANewScopeIsDisconnectedAndTheOthersStay() throws Exception {
        EdgeHubEndpoint endpoint = start();
        MqttClient leaf = connect(endpoint, "leaf", "hub.example/devices/leaf", LEAF_KEY);
        MqttClient b = connect(endpoint, "gwB", "hub.example/devices/gwB", B_KEY);
        MqttClient onBehalf = connect(endpoint, "leafBelowB", "hub.example/devices/gwB", B_KEY);

        scope.replace(scope(2, LEAF_KEY, true));
        assertThat(leaf.isConnected() && b.isConnected() && onBehalf.isConnected()).as("nothing changed").isTrue();

        scope.replace(scope(3, key("leaf-rekeyed"), true));
        await().atMost(Duration.ofSeconds(2)).until(() -> !leaf.isConnected());
        assertThat(b.isConnected() && onBehalf.isConnected()).isTrue();
        assertThat(refusal(() -> connect(endpoint, "leaf", "hub.example/devices/leaf", LEAF_KEY))).isEqualTo(
                MqttException.REASON_CODE_NOT_AUTHORIZED);
        MqttClient again = connect(endpoint, "leaf", "hub.example/devices/leaf", key("leaf-rekeyed"));

        scope.replace(new DeviceScope("gw1", 4, List.of(scope(3, key("leaf-rekeyed"), false).devices().get(0))));
        await().atMost(Duration.ofSeconds(2)).until(() -> !again.isConnected() && !b.isConnected()
                && !onBehalf.isConnected());
    }

    @Test
    void aFloodOfBadChildrenIsRateLimitedAndAConnectedChildKeepsSending() throws Exception {
        EdgeHubEndpoint endpoint = start();
        MqttClient leaf = connect(endpoint, "leaf", "hub.example/devices/leaf", LEAF_KEY);

        for (int i = 0; i < 15; i++) {
            int n = i;
            assertThat(refusal(() -> connect(endpoint, "fake" + n, "hub.example/devices/fake" + n, key("x"))))
                    .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        }
        // Past auth.max.failures.per.minute (10) the address is refused without a check, even with good credentials.
        assertThat(refusal(() -> connect(endpoint, "gwB", "hub.example/devices/gwB", B_KEY))).isEqualTo(
                MqttException.REASON_CODE_NOT_AUTHORIZED);

        leaf.publish("devices/leaf/messages/events/", "still-here".getBytes(), 1, false);
        await().atMost(WAIT).until(() -> router.routed.stream().anyMatch(m -> m.bodyAsString().equals(
                "still-here")));
        assertThat(leaf.isConnected()).isTrue();
    }

    @Test
    void withoutAScopeOnlyTheGatewaysModulesConnect() throws Exception {
        ChildFakes.Scope none = new ChildFakes.Scope();
        EdgeHubEndpoint endpoint = new EdgeHubEndpoint(identities, new Fakes.Certificates(dir.resolve("none.p12")),
                router, broker, twins, none, relay, EdgeHubEndpointTest.config());
        open.add(endpoint::deactivate);

        connect(endpoint, "gw1/filter", "hub.example/devices/gw1/modules/filter", GW_KEY);
        assertThat(refusal(() -> connect(endpoint, "leaf", "hub.example/devices/leaf", LEAF_KEY))).isEqualTo(
                MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(endpoint.connected()).isEmpty();
    }
}
