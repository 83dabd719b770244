/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import org.junit.After;
import org.junit.Test;
import org.outpost.itests.GatewayProcess;

/**
 * Three layers, as in an ISA-95 plant where only the top may talk to the cloud: hub &lt;- gateway A (top) &lt;-
 * gateway B (bottom) &lt;- a leaf device (the Azure IoT device SDK 2.5.0). B's twins and upstream point at A's
 * endpoint and trust A's CA ({@code edge:ca}), as IoT Edge's {@code parent_hostname}; A's point at the hub. A
 * deployment created at the hub for B (by B's tag) arrives at B through A and B's {@code $edgeAgent} reports it; a
 * direct method reaches B's {@code $edgeAgent} and the leaf two layers down; B's module telemetry and the leaf's reach
 * the hub as theirs; A restarted in the middle loses nothing of either, and keeps each sender's order. About five
 * minutes.
 */
public class NestedGatewaysIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");
    private static final String TOP = "gw-top";
    private static final String BOTTOM = "gw-bottom";
    private static final String LEAF = "leaf-bottom";
    private static final String DEPLOYMENT = "bottom-heartbeat";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Failed attempts before a device is in a gateway's scope are not what this test is about. */
    private static final Map<String, Map<String, String>> LENIENT = Map.of("org.outpost.edgehub",
            Map.of("auth.max.failures.per.minute", "1000"));

    private Layers layers;
    private final List<DeviceClient> clients = new ArrayList<>();

    @After
    public void stop() {
        clients.forEach(DeviceClient::close);
        if (layers != null) {
            layers.close();
        }
    }

    @Test
    public void aDeploymentTelemetryAndMethodsCrossThreeLayersAndARestartOfTheMiddleLosesNothing() throws Exception {
        try (ServerSocket probe = new ServerSocket(8883, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe.getLocalPort()).as("port 8883 must be free: the SDK connects to no other").isEqualTo(8883);
        }
        layers = Layers.startHub("nested");
        String keyA = layers.device(TOP, null, null);
        String keyB = layers.device(BOTTOM, TOP, "{\"layer\": \"bottom\"}");
        String keyLeaf = layers.device(LEAF, BOTTOM, null);

        int portA = GatewayProcess.freePort();
        GatewayProcess a = layers.topGateway(TOP, keyA, portA, LENIENT);
        a.start();
        Layers.awaitGateway(a, TOP, 1);
        Path caA = layers.ca(a, TOP);

        // B, one layer down: its twins and upstream at A's endpoint, trusting A's CA. Its own endpoint on 8883 for
        // the leaf.
        GatewayProcess b = layers.childGateway(BOTTOM, keyB, portA, caA, 8883, LENIENT);
        b.start();
        try {
            Layers.awaitGateway(b, BOTTOM, 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("B's $edgeAgent twin did not connect through A (" + Layers.endpointUrl(portA)
                    + "): " + e.getMessage() + "\n" + Layers.diagnose(a, "edge:children"), e);
        }
        assertThat(a.shell("edge:children")).as("edge:children on A").contains(BOTTOM);
        Path caB = layers.ca(b, BOTTOM);

        // A deployment targeted at B (by its tag) arrives through A; B's $edgeAgent reports it at the hub.
        Path file = Files.createTempFile(layers.base, "deployment", ".json");
        Files.writeString(file, deployment());
        assertThat(layers.hub.shell("hub:deployment-create " + file)).contains("It targets 1 device(s)");
        await("the heartbeat module running on B").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> b.shell("edge:status").matches(
                        "(?s).*heartbeat\\s*\\|\\s*bundle\\s*\\|[^\\n]*running\\s*\\|\\s*running.*"));
        await("B's $edgeAgent reporting the heartbeat running, at the hub through A").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> reported(BOTTOM).path("modules").path("heartbeat")
                        .path("runtimeStatus").asText(), "running"::equals);
        await("the deployment succeeded on B").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> status(DEPLOYMENT).path("succeededDevices").toString(),
                        s -> s.contains("\"" + BOTTOM + "\""));
        assertThat(a.shell("edge:list")).as("A, which the deployment does not target").doesNotContain("heartbeat");

        // Direct methods two layers down: B's $edgeAgent, and the leaf through B and A.
        assertThat(layers.hub.shell("hub:invoke -m '$edgeAgent' " + BOTTOM + " ping")).as("B's $edgeAgent ping")
                .contains("Status: 200");
        DeviceClient leaf = Leaf.open("the leaf through B", () -> Leaf.sas(LEAF, keyLeaf, caB,
                IotHubClientProtocol.MQTT), clients, b);
        leaf.subscribeToMethods((method, payload, context) -> new DirectMethodResponse(200, Map.of("layer", 3)),
                null);
        assertThat(layers.hub.shell("hub:invoke " + LEAF + " where")).as("the leaf's method through A and B")
                .contains("Status: 200", "layer");

        try (NumberedSender sender = new NumberedSender(LEAF, leaf, 250)) {
            await("the leaf's and B's heartbeat's telemetry at the hub").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> leafNumbers().size() >= 10
                            && beats().size() >= 10);

            // A, the middle, restarts: B queues meanwhile.
            Layers.restartGateway(a, TOP);
            int leafAtRestart = sender.last();
            int beatAtRestart = beats().isEmpty() ? 0 : beats().get(beats().size() - 1);
            await("B's twins connected again through A").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> Layers.count(b, "Twin " + BOTTOM
                            + "/$edgeAgent connected") >= 2);
            await("the leaf's and B's telemetry at the hub after A's restart").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> leafNumbers().contains(leafAtRestart + 10)
                            && beats().contains(beatAtRestart + 20));
            sender.use(null);
            List<Integer> acknowledged = sender.acknowledged();
            await("every message B acknowledged to the leaf at the hub").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                        List<Integer> atHub = leafNumbers();
                        List<Integer> missing = new ArrayList<>(acknowledged);
                        missing.removeAll(atHub);
                        assertThat(missing).as("the leaf's messages acknowledged by B, not at the hub (of %d)",
                                acknowledged.size()).isEmpty();
                        assertThat(atHub).as("the leaf's numbers at the hub, in the order they first arrived")
                                .isSorted();
                    });
        }
        List<Integer> beats = beats();
        assertThat(beats).as("B's heartbeats at the hub, in the order they first arrived").isSorted();
        assertThat(beats).as("B's heartbeats at the hub, without a gap across A's restart")
                .containsExactlyElementsOf(Layers.range(beats.get(0), beats.get(beats.size() - 1)));

        // Each sender is itself at the hub: the leaf not as B or A, B's module not as A.
        assertThat(layers.telemetry()).as("the leaf's messages, attributed to the leaf")
                .filteredOn(l -> l.contains("\"sender\": \"" + LEAF + "\"")).isNotEmpty()
                .allMatch(l -> l.contains(" " + LEAF + "/- "));
        assertThat(layers.telemetry()).as("heartbeats (only B runs the module), attributed to B's heartbeat")
                .filteredOn(l -> l.contains("{\"beat\":")).isNotEmpty()
                .allMatch(l -> l.contains(" " + BOTTOM + "/heartbeat "));
    }

    private List<Integer> leafNumbers() throws Exception {
        return Layers.numbers(layers.telemetry(LEAF, null), "seq");
    }

    private List<Integer> beats() throws Exception {
        return Layers.numbers(layers.telemetry(BOTTOM, "heartbeat"), "beat");
    }

    /** @return the reported properties of a device's {@code $edgeAgent} at the hub */
    private JsonNode reported(String device) throws Exception {
        String out = layers.hub.shell("hub:twin " + device + " '$edgeAgent'");
        return JSON.readTree(out.substring(out.indexOf('{'))).path("reported");
    }

    private JsonNode status(String id) throws Exception {
        String out = layers.hub.shell("hub:deployment --json " + id);
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    /** A deployment of the heartbeat module, with every message upstream, for the devices tagged as the bottom. */
    private static String deployment() {
        return "{\"id\": \"" + DEPLOYMENT + "\", \"priority\": 10, \"targetCondition\": \"tags.layer = 'bottom'\","
                + " \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
                + " \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\", \"settings\": {\"location\":"
                + " \"mvn:org.outpost/heartbeat/" + VERSION + "\"}}}}}, \"$edgeHub\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"routes\": {\"all\": \"FROM /messages/* INTO $upstream\"}}}}}}";
    }
}
