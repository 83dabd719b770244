/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.outpost.itests.azure.AzureSdkModule;

/**
 * IoT Edge modules written with the unmodified Azure IoT device SDK for Java run on Outpost as process modules, as
 * they run on IoT Edge: a hub and a gateway (the real distributions, each its own process), two modules deployed
 * with {@code edge:deploy} that connect with {@code ModuleClient.createFromEnvironment()} through the workload API
 * to the gateway's IoT Hub endpoint on port 8883 (TLS with the gateway's own CA), module A's output routed to module
 * B's input and B's output to {@code $upstream}, B's twin and direct methods driven from the hub, and B connected
 * again with {@code EdgeHubConnectionString} as with IoT Edge's simulator. The second test stops the hub and restarts
 * the gateway while A sends: every message A was told was stored reaches the hub, in order.
 */
public class IotEdgeModuleIT {

    private static final String DEVICE = CloudPair.DEVICE;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The SDK modules run as process modules, which the deployment policy allows only when told to. */
    private static final Map<String, Map<String, String>> GATEWAY = Map.of("org.outpost.edgehub", Map.of("tls.port",
            "8883"), "org.outpost.deployment", Map.of("process.modules.enabled", "true"));

    private CloudPair pair;
    private Path base;

    @Before
    public void portIsFree() throws Exception {
        try (ServerSocket probe = new ServerSocket(8883, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe.getLocalPort()).as("port 8883 must be free: the SDK connects to no other").isEqualTo(8883);
        }
        base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
    }

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void azureSdkModulesExchangeMessagesTwinsAndMethodsThroughTheGateway() throws Exception {
        pair = CloudPair.start(GATEWAY);
        GatewayProcess gateway = pair.gateway;
        GatewayProcess hub = pair.hub;

        String ca = gateway.shell("edge:ca");
        assertThat(ca).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");

        Path manifest = base.resolve("sdk-modules-" + System.nanoTime() + ".json");
        Files.writeString(manifest, manifest(Map.of("SDK_MODULE_ROLE", "sender", "SDK_MODULE_MESSAGES", "20"),
                Map.of("SDK_MODULE_ROLE", "relay")));
        assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
        assertThat(gateway.shell("edge:list")).containsPattern("sdkA\\s*\\|\\s*container").containsPattern(
                "sdkB\\s*\\|\\s*container");

        // A's 20 messages, routed to B's input, relayed by B to $upstream: at the hub, with their properties.
        Map<Integer, String> relayed = awaitRelayed(hub, gateway, 20);
        assertThat(relayed.get(1)).contains("site=plant 1", "relayedBy=sdkB", "seq=1");
        assertThat(relayed.keySet()).containsExactlyElementsOf(range(1, 20));

        // Both identities are registered at the hub with their own keys.
        assertThat(gateway.shell("edge:identities")).contains("sdkA", "sdkB");
        await("the module identities at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.shell("hub:modules " + DEVICE), out -> out.contains("sdkA") && out.contains("sdkB"));

        // A desired patch set at the hub reaches B's twin callback; B's reported patch comes back to the hub.
        assertThat(hub.shell("hub:twin-set -m sdkB " + DEVICE + " '{\"interval\": 7}'")).contains("at version");
        await("B's reported properties at the hub").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.shell("hub:twin " + DEVICE + " sdkB"), out -> out.matches(
                        "(?s).*\"reported\".*\"interval\" : 7.*") && out.contains("\"seenVersion\""));
        assertThat(gateway.shell("edge:twin sdkB")).contains("seenVersion");

        // A direct method invoked at the hub, answered by B.
        assertThat(hub.shell("hub:invoke -m sdkB " + DEVICE + " echo '{\"n\": 7}'")).contains("Status: 200", "sdkB");

        // B again, with a connection string and the CA file instead of the workload API (IoT Edge's simulator way).
        String connection = gateway.shell("edge:module-connection-string sdkB").trim();
        assertThat(connection).matches("HostName=outpost-hub\\.local;DeviceId=" + DEVICE
                + ";ModuleId=sdkB;SharedAccessKey=[A-Za-z0-9+/=]+;GatewayHostName=localhost");
        Path caFile = base.resolve("gateway-ca-" + System.nanoTime() + ".pem");
        Files.writeString(caFile, ca);
        Map<String, String> debug = new LinkedHashMap<>(Map.of("SDK_MODULE_ROLE", "relay"));
        debug.put("EdgeHubConnectionString", connection);
        debug.put("EdgeModuleCACertificateFile", caFile.toString());
        Files.writeString(manifest, manifest(Map.of("SDK_MODULE_ROLE", "sender", "SDK_MODULE_MESSAGES", "20"),
                debug));
        assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
        await("B connected with its connection string").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> gateway.shell("edge:logs sdkB"),
                        out -> count(out, "connected as sdkB") >= 2);
        assertThat(hub.shell("hub:invoke -m sdkA " + DEVICE + " send '{\"count\": 5}'")).contains("Status: 200");
        assertThat(awaitRelayed(hub, gateway, 25).keySet()).containsAll(range(21, 25));
    }

    @Test
    public void nothingIsLostAndOrderIsKeptWhileTheHubIsAwayAndTheGatewayRestarts() throws Exception {
        pair = CloudPair.start(GATEWAY);
        GatewayProcess gateway = pair.gateway;
        GatewayProcess hub = pair.hub;
        Path sent = base.resolve("sdk-sent-" + System.nanoTime() + ".txt");
        Path manifest = base.resolve("sdk-modules-" + System.nanoTime() + ".json");
        Files.writeString(manifest, manifest(Map.of("SDK_MODULE_ROLE", "sender", "SDK_MODULE_MESSAGES", "-1",
                "SDK_MODULE_INTERVAL_MS", "20", "SDK_MODULE_SENT_FILE", sent.toString()),
                Map.of("SDK_MODULE_ROLE", "relay")));
        assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
        await("messages at the hub").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> telemetry(hub).size() >= 50);

        // The hub is away: A's messages are stored at the gateway meanwhile.
        hub.stop();
        int before = sentLines(sent).size();
        await("A sends while the hub is away").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> sentLines(sent).size() >= before + 100);
        hub.start();
        // The gateway restarts (its modules with it) while the backlog drains.
        gateway.stop();
        gateway.start();
        await("A's second run at the hub").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> runs(telemetry(hub)).size() >= 2 && runs(telemetry(hub)).values().stream()
                        .skip(1).findFirst().orElse(List.of()).size() >= 50);
        String stopped = await("A stops").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> hub.shell("hub:invoke -m sdkA " + DEVICE + " stop"),
                        out -> out.contains("Status: 200"));
        assertThat(stopped).contains("lastSent");

        // Every message A was told was stored reaches the hub, once or more, and in the order sent.
        Map<String, List<Integer>> acknowledged = runs(sentLines(sent));
        await("every acknowledged message at the hub").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Map<String, List<Integer>> atHub = runs(telemetry(hub));
                    for (Map.Entry<String, List<Integer>> run : acknowledged.entrySet()) {
                        List<Integer> firstSeen = new ArrayList<>(new LinkedHashSet<>(atHub.getOrDefault(run.getKey(),
                                List.of())));
                        assertThat(firstSeen).as("run %s at the hub, in order of arrival", run.getKey())
                                .isSorted().containsAll(run.getValue());
                    }
                });
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(2);
    }

    /** Waits until B relayed messages 1..n of A's current run to the hub; returns them by sequence number. */
    private static Map<Integer, String> awaitRelayed(GatewayProcess hub, GatewayProcess gateway, int n) {
        try {
            return await("A's messages through B at the hub").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        Map<Integer, String> bySeq = new TreeMap<>();
                        for (String line : telemetry(hub)) {
                            Matcher seq = Pattern.compile("\"seq\": (\\d+)").matcher(line);
                            if (seq.find()) {
                                bySeq.putIfAbsent(Integer.parseInt(seq.group(1)), line);
                            }
                        }
                        return bySeq;
                    }, m -> m.keySet().containsAll(range(1, n)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnosis(gateway), e);
        }
    }

    private static String diagnosis(GatewayProcess gateway) {
        StringBuilder s = new StringBuilder();
        for (String m : new String[] {"sdkA", "sdkB"}) {
            try {
                s.append("edge:logs ").append(m).append(":\n").append(gateway.shell("edge:logs " + m)).append('\n');
            } catch (Exception e) {
                s.append(m).append(": ").append(e).append('\n');
            }
        }
        try {
            s.append("edge:routes:\n").append(gateway.shell("edge:routes")).append('\n');
        } catch (Exception e) {
            s.append("edge:routes: ").append(e).append('\n');
        }
        return s.toString();
    }

    /** @return the lines of the hub's telemetry log that B relayed */
    private static List<String> telemetry(GatewayProcess hub) throws Exception {
        Path log = hub.home().resolve("data/log/telemetry.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().filter(l -> l.contains(DEVICE + "/sdkB ")).toList();
    }

    private static List<String> sentLines(Path sent) throws Exception {
        return Files.exists(sent) ? Files.readAllLines(sent).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    /** @return the sequence numbers of each run, in the order of the lines ({@code run seq} or telemetry lines) */
    private static Map<String, List<Integer>> runs(List<String> lines) {
        Map<String, List<Integer>> runs = new LinkedHashMap<>();
        Pattern telemetry = Pattern.compile("\"run\": \"([^\"]+)\", \"seq\": (\\d+)");
        for (String line : lines) {
            Matcher m = telemetry.matcher(line);
            String[] plain = line.split(" ");
            if (m.find()) {
                runs.computeIfAbsent(m.group(1), r -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            } else if (plain.length == 2) {
                runs.computeIfAbsent(plain[0], r -> new ArrayList<>()).add(Integer.parseInt(plain[1]));
            }
        }
        return runs;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** A deployment of modules A (sender) and B (relay), both this JVM's java running {@link AzureSdkModule}. */
    private static String manifest(Map<String, String> envA, Map<String, String> envB) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode agent = root.putObject("modulesContent").putObject("$edgeAgent").putObject("properties.desired");
        agent.put("schemaVersion", "1.1");
        ObjectNode modules = agent.putObject("modules");
        module(modules.putObject("sdkA"), envA);
        module(modules.putObject("sdkB"), envB);
        ObjectNode routes = ((ObjectNode) root.get("modulesContent")).putObject("$edgeHub")
                .putObject("properties.desired").put("schemaVersion", "1.1").putObject("routes");
        routes.put("aToB", "FROM /messages/modules/sdkA/outputs/out1"
                + " INTO BrokeredEndpoint(\"/modules/sdkB/inputs/in1\")");
        routes.put("bUp", "FROM /messages/modules/sdkB/outputs/out2 INTO $upstream");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static void module(ObjectNode module, Map<String, String> env) {
        module.put("type", "container").put("restartPolicy", "always").put("status", "running");
        ObjectNode e = module.putObject("env");
        env.forEach((k, v) -> e.putObject(k).put("value", v));
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        module.putObject("settings").putArray("command").add(java).add("-cp").add(classpath)
                .add(AzureSdkModule.class.getName());
    }
}
