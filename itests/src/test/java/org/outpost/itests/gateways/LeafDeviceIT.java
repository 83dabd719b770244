/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.outpost.itests.GatewayProcess;

/**
 * A leaf device behind a transparent gateway, written with the unmodified Azure IoT device SDK for Java 2.5.0: a hub
 * and a gateway G (the real distributions, each its own process), the leaf registered with
 * {@code hub:device-create --parent G --json <leaf>}, connecting to G's port 8883 (the only port the SDK knows) with
 * {@code GatewayHostName=localhost} and G's CA from {@code edge:ca}. Telemetry, twin, a direct method and
 * cloud-to-device messages go through G; X.509 and MQTT over WebSockets (port 443: this test runs as root) too; and
 * with the hub away for two minutes, and G restarted meanwhile, the leaf keeps sending, connects again (offline
 * authentication), reads its twin from G's copy, and everything arrives in order when the hub is back.
 * About six minutes, two of them the outage the issue asks for.
 */
public class LeafDeviceIT {

    private static final String GATEWAY = "transparent-gw";
    private static final String ENDPOINT_UP = "with TLS on /127.0.0.1:8883";

    private static Layers layers;
    private static GatewayProcess gateway;
    private static Path gatewayCa;

    private final List<DeviceClient> clients = new ArrayList<>();

    @BeforeClass
    public static void startHubAndGateway() throws Exception {
        try (ServerSocket probe = new ServerSocket(8883, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe.getLocalPort()).as("port 8883 must be free: the SDK connects to no other").isEqualTo(8883);
        }
        layers = Layers.startHub("leaf");
        String key = layers.device(GATEWAY, null, null);
        // G's endpoint on 8883 (TLS) and 443 (MQTT over WebSockets), where the SDK connects; the leaf's attempts
        // before G has heard of it fail authentication, and the limiter is not what this test is about.
        gateway = layers.topGateway(GATEWAY, key, 8883, Map.of("org.outpost.edgehub",
                Map.of("websocket.port", "443", "auth.max.failures.per.minute", "1000")));
        gateway.start();
        Layers.awaitGateway(gateway, GATEWAY, 1);
        gatewayCa = layers.ca(gateway, GATEWAY);
    }

    @After
    public void closeClients() {
        clients.forEach(DeviceClient::close);
    }

    @AfterClass
    public static void stop() {
        if (layers != null) {
            layers.close();
        }
    }

    @Test
    public void telemetryTwinMethodsAndCloudToDeviceMessagesOfALeafDeviceGoThroughTheGateway() throws Exception {
        String leafId = "leaf-sdk";
        String key = layers.device(leafId, GATEWAY, null);
        assertThat(layers.hub.shell("hub:device " + leafId)).as("hub:device names the leaf's parent")
                .contains(GATEWAY);
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        DeviceClient leaf = open("the leaf through G", () -> {
            DeviceClient c = Leaf.sas(leafId, key, gatewayCa, IotHubClientProtocol.MQTT);
            c.setMessageCallback((message, context) -> {
                received.add(message);
                return IotHubMessageResult.COMPLETE;
            }, null);
            return c;
        });

        // Telemetry: at the hub as the leaf's own (no module), not as the gateway's.
        Message reading = new Message("{\"temperature\": 21.5, \"marker\": \"leaf-reading\"}");
        reading.setContentType("application/json");
        reading.setContentEncoding("utf-8");
        reading.setProperty("site", "plant 1");
        leaf.sendEvent(reading);
        await("the leaf's reading at the hub (hub:telemetry -d " + leafId + ")").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> layers.hub.shell("hub:telemetry -d " + leafId),
                        out -> out.contains("21.5") && out.contains("plant 1"));
        assertThat(layers.telemetry(leafId, null)).as("the hub's telemetry log, as " + leafId + "/-")
                .anyMatch(l -> l.contains("leaf-reading"));
        assertThat(layers.telemetry()).as("no reading of the leaf attributed to anyone else")
                .filteredOn(l -> l.contains("leaf-reading")).allMatch(l -> l.contains(" " + leafId + "/- "));

        // Twin: read, reported (seen at the hub), desired (set at the hub, pushed to the leaf).
        BlockingQueue<Twin> desired = new LinkedBlockingQueue<>();
        leaf.subscribeToDesiredProperties((twin, context) -> desired.add(twin), null);
        Twin twin = Leaf.twin(leaf);
        assertThat(twin.getDesiredProperties().getVersion()).as("the leaf's twin, read through G").isEqualTo(1);
        TwinCollection reported = new TwinCollection();
        reported.put("firmware", "2.5.0");
        Leaf.report(leaf, reported);
        await("the leaf's reported firmware at the hub").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> layers.hub.shell("hub:twin " + leafId),
                        out -> out.contains("\"firmware\" : \"2.5.0\""));
        assertThat(layers.hub.shell("hub:twin-set " + leafId + " '{\"interval\": 5}'")).contains("at version 2");
        Twin patch = desired.poll(30, TimeUnit.SECONDS);
        assertThat(patch).as("the desired patch set at the hub, at the leaf's callback through G").isNotNull();
        assertThat(((Number) patch.getDesiredProperties().get("interval")).intValue()).isEqualTo(5);

        // A direct method invoked at the hub, answered by the leaf through G.
        leaf.subscribeToMethods((method, payload, context) -> "echo".equals(method)
                ? new DirectMethodResponse(200, Map.of("echo", payload.getPayloadAsJsonString()))
                : new DirectMethodResponse(404, null), null);
        assertThat(layers.hub.shell("hub:invoke " + leafId + " echo '{\"n\": 7}'"))
                .as("hub:invoke of the leaf's method through G").contains("Status: 200", "echo");

        // Cloud-to-device: one while connected, one while the leaf is away (it waits at the hub).
        // The SDK does not subscribe to its cloud-to-device topic when it has a GatewayHostName
        // (Azure/azure-iot-sdk-java#1561): the gateway delivers a connected leaf's messages without that.
        assertThat(layers.hub.shell("hub:c2d -p kind=command " + leafId + " 'switch on'")).contains("queued");
        Message c2d = received.poll(30, TimeUnit.SECONDS);
        assertThat(c2d).as("the cloud-to-device message sent at the hub, at the leaf through G (a leaf with"
                + " GatewayHostName does not subscribe to devices/<id>/messages/devicebound/#: G must deliver it"
                + " anyway)").isNotNull();
        assertThat(new String(c2d.getBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("switch on");
        assertThat(c2d.getProperty("kind")).isEqualTo("command");

        assertThat(gateway.shell("edge:children")).as("edge:children on G").contains(leafId);
        assertThat(gateway.shell("edge:children --json")).as("edge:children --json on G").contains(
                "\"" + leafId + "\"");

        leaf.close();
        clients.remove(leaf);
        assertThat(layers.hub.shell("hub:c2d " + leafId + " 'while away'")).contains("queued");
        open("the leaf again", () -> {
            DeviceClient c = Leaf.sas(leafId, key, gatewayCa, IotHubClientProtocol.MQTT);
            c.setMessageCallback((message, context) -> {
                received.add(message);
                return IotHubMessageResult.COMPLETE;
            }, null);
            return c;
        });
        Message waited = received.poll(30, TimeUnit.SECONDS);
        assertThat(waited).as("the cloud-to-device message that waited at the hub while the leaf was away")
                .isNotNull();
        assertThat(new String(waited.getBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("while away");
    }

    @Test
    public void anX509LeafDeviceConnectsWithItsCertificateAndAnotherCertificateIsRefused() throws Exception {
        String leafId = "leaf-x509";
        Path certificate = Leaf.certificate(layers.base, leafId);
        layers.x509Device(leafId, GATEWAY, Leaf.thumbprint(certificate));
        DeviceClient leaf = open("the X.509 leaf through G", () -> Leaf.x509(leafId, certificate, gatewayCa));
        leaf.sendEvent(new Message("{\"certified\": true}"));
        await("the X.509 leaf's message at the hub").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> layers.hub.shell("hub:telemetry -d " + leafId),
                        out -> out.contains("certified"));

        LogMark mark = LogMark.now(gateway);
        Path other = Leaf.certificate(layers.base, leafId + "-impostor");
        DeviceClient impostor = Leaf.x509(leafId, other, gatewayCa);
        clients.add(impostor);
        assertThatThrownBy(() -> impostor.open(false)).as("the leaf's id with a certificate that is not its own")
                .isInstanceOf(IotHubClientException.class);
        mark.awaitRefusal(leafId, "the impostor's certificate");
    }

    @Test
    public void aLeafDeviceConnectsOverMqttOnWebSocketsAsTheSdksMqttWsTransport() throws Exception {
        String leafId = "leaf-ws";
        try {
            Layers.awaitLogCount(gateway, "MQTT over WebSockets on /127.0.0.1:443", 1, Duration.ofSeconds(10));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("G's endpoint does not say it serves MQTT over WebSockets on 443 (websocket.port ="
                    + " 443 of org.outpost.edgehub; binding 443 needs root or CAP_NET_BIND_SERVICE)", e);
        }
        String key = layers.device(leafId, GATEWAY, null);
        DeviceClient leaf = open("the leaf over wss://localhost:443/$iothub/websocket (websocket.port = 443)",
                () -> Leaf.sas(leafId, key, gatewayCa, IotHubClientProtocol.MQTT_WS));
        leaf.sendEvent(new Message("{\"over\": \"websockets\"}"));
        await("the WebSocket leaf's message at the hub").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> layers.hub.shell("hub:telemetry -d " + leafId),
                        out -> out.contains("websockets"));
        // The SDK reads its twin only after it subscribed to desired properties.
        leaf.subscribeToDesiredProperties((twin, context) -> {
        }, null);
        assertThat(Leaf.twin(leaf).getDesiredProperties().getVersion()).isEqualTo(1);
        TwinCollection reported = new TwinCollection();
        reported.put("transport", "MQTT_WS");
        Leaf.report(leaf, reported);
        await("the WebSocket leaf's reported property at the hub").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> layers.hub.shell("hub:twin " + leafId),
                        out -> out.contains("\"transport\" : \"MQTT_WS\""));
        leaf.subscribeToMethods((method, payload, context) -> new DirectMethodResponse(200, Map.of("via", "wss")),
                null);
        assertThat(layers.hub.shell("hub:invoke " + leafId + " ping")).contains("Status: 200", "wss");
    }

    @Test
    public void whileTheHubIsAwayForTwoMinutesTheLeafKeepsSendingConnectsAndReadsItsTwinAndNothingIsLost()
            throws Exception {
        String leafId = "leaf-outage";
        String lateId = "leaf-late";
        String key = layers.device(leafId, GATEWAY, null);
        // Registered before the outage, first connecting during it: authenticated from G's stored scope only.
        String lateKey = layers.device(lateId, GATEWAY, null);
        DeviceClient first = open("the leaf through G", () -> Leaf.sas(leafId, key, gatewayCa,
                IotHubClientProtocol.MQTT));
        first.subscribeToDesiredProperties((twin, context) -> {
        }, null);
        assertThat(layers.hub.shell("hub:twin-set " + leafId + " '{\"interval\": 9}'")).contains("at version 2");
        await("the desired interval in the leaf's twin through G").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> Leaf.twin(first)
                        .getDesiredProperties().get("interval"), v -> v != null && ((Number) v).intValue() == 9);
        TwinCollection before = new TwinCollection();
        before.put("phase", "before");
        Leaf.report(first, before);
        await("the reported phase at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> layers.hub.shell("hub:twin " + leafId), out -> out.contains("\"phase\" : \"before\""));

        try (NumberedSender sender = new NumberedSender(leafId, first, 250)) {
            await("the leaf's first numbered messages at the hub").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Layers.numbers(layers.telemetry(leafId, null), "seq").size() >= 10);

            layers.stopHub();
            Instant away = Instant.now();
            int atStop = sender.last();
            await("G acknowledging the leaf's messages while the hub is away").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> sender.last() >= atStop + 20);

            // G restarts while the hub is away: the leaf authenticates from G's encrypted copy of its scope.
            int endpoints = Layers.count(gateway, ENDPOINT_UP);
            gateway.stop();
            gateway.start();
            Layers.awaitLogCount(gateway, ENDPOINT_UP, endpoints + 1, Duration.ofSeconds(120));
            int afterRestart = sender.last();
            await("the leaf connected again to G restarted while the hub is away (offline authentication)")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sender.last() >= afterRestart + 10);

            // The leaf connects anew while the hub is away, reads its twin from G's copy, reports a change.
            sender.use(null);
            first.close();
            clients.remove(first);
            DeviceClient second = Leaf.sas(leafId, key, gatewayCa, IotHubClientProtocol.MQTT);
            clients.add(second);
            second.open(false);
            sender.use(second);
            second.subscribeToDesiredProperties((twin, context) -> {
            }, null);
            Twin copy = Leaf.twin(second);
            assertThat(((Number) copy.getDesiredProperties().get("interval")).intValue())
                    .as("the desired interval, from G's copy of the twin").isEqualTo(9);
            assertThat(copy.getReportedProperties().get("phase")).as("the reported phase, from G's copy")
                    .isEqualTo("before");
            TwinCollection during = new TwinCollection();
            during.put("phase", "during the outage");
            Leaf.report(second, during);

            DeviceClient late = Leaf.sas(lateId, lateKey, gatewayCa, IotHubClientProtocol.MQTT);
            clients.add(late);
            late.open(false);
            for (int i = 1; i <= 3; i++) {
                late.sendEvent(new Message("{\"late\": " + i + "}"));
            }
            assertThat(gateway.shell("edge:children")).as("edge:children while the hub is away").contains(leafId,
                    lateId);

            await("the hub away for two minutes, the leaf sending").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Duration.between(away, Instant.now()).compareTo(Duration.ofMinutes(2)) >= 0);
            int sentWhileAway = sender.last() - atStop;
            assertThat(sentWhileAway).as("messages G acknowledged while the hub was away (last error: %s)",
                    sender.lastError()).isGreaterThan(100);

            layers.restartHub();
            int atReturn = sender.last();
            await("the leaf sending after the hub is back").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> sender.last() >= atReturn + 10);
            sender.use(null);
            List<Integer> acknowledged = sender.acknowledged();
            await("every message G acknowledged at the hub, as " + leafId + "'s").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                        List<Integer> atHub = Layers.numbers(layers.telemetry(leafId, null), "seq");
                        List<Integer> missing = new ArrayList<>(acknowledged);
                        missing.removeAll(atHub);
                        assertThat(missing).as("acknowledged by G, not at the hub (of %d)", acknowledged.size())
                                .isEmpty();
                        assertThat(atHub).as("the leaf's numbers at the hub, in the order they first arrived")
                                .isSorted();
                    });
        }
        await("the late leaf's three messages at the hub").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> Layers.numbers(layers.telemetry(lateId, null),
                        "late"), n -> n.containsAll(List.of(1, 2, 3)));
        await("the reported patch queued at G while the hub was away, at the hub").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> layers.hub.shell("hub:twin " + leafId),
                        out -> out.contains("\"phase\" : \"during the outage\""));
    }

    private DeviceClient open(String what, Callable<DeviceClient> client) {
        return Leaf.open(what, client, clients, gateway);
    }
}
