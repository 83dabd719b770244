/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * Camel route modules on the real distributions (a hub and a gateway, each in its own process): a
 * {@code *.camel.yaml} file dropped into the gateway's {@code deploy/} is a module whose messages reach the hub through
 * a gateway route to {@code $upstream}; a broken route file is reported in {@code edge:list} with its line and column
 * while the other runs on; replacing a route file keeps the messages waiting on its input, which the new routes
 * process; a deployment's {@code camel} module carries its routes inline, its desired properties fill their
 * placeholders, and a desired property of the wrong type is refused with its JSON path.
 */
public class RouteModulesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = CloudPair.DEVICE;

    /** A timer's count as JSON to the module's output {@code out}, twice a second. */
    private static final String TICKER = """
            - route:
                id: ticks
                from:
                  uri: "timer:tick?period={{period:500}}&includeMetadata=true"
                  steps:
                    - setBody:
                        simple: '{"tick": ${exchangeProperty.CamelTimerCounter}}'
                    - to: "outpost:output/out"
            """;

    /** A step Camel does not know (line 5, column 11). */
    private static final String BROKEN = """
            - route:
                from:
                  uri: "timer:broken?period=1000"
                  steps:
                    - fliter:
                        simple: "${body} != null"
                    - to: "outpost:output/out"
            """;

    /** Takes nothing: every message on its input fails, so it waits there (and is delivered again). */
    private static final String RELAY_1 = """
            - route:
                id: relay
                from:
                  uri: "outpost:input/in"
                  steps:
                    - throwException:
                        exceptionType: "java.lang.IllegalStateException"
                        message: "relay version 1 takes nothing"
            """;

    /** Passes its input on, marked. */
    private static final String RELAY_2 = """
            - route:
                id: relay
                from:
                  uri: "outpost:input/in"
                  steps:
                    - setHeader:
                        name: routeVersion
                        constant: "2"
                    - to: "outpost:output/out"
            """;

    /** Its desired properties fill the placeholders: factor (an integer by its default) and label (required). */
    private static final String SCALER = """
            - route:
                id: scale
                from:
                  uri: "timer:scale?period=300"
                  steps:
                    - setBody:
                        simple: '{"factor": {{factor:1}}, "label": "{{label}}"}'
                    - to: "outpost:output/out"
            """;

    private CloudPair pair;
    private GatewayProcess gateway;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void routeFilesAndCamelModulesAreModules() throws Exception {
        pair = CloudPair.start(Map.of());
        gateway = pair.gateway;
        gateway.awaitLog("Upstream connected to tcp://127.0.0.1:", Duration.ofSeconds(60));
        gateway.routes(Map.of(
                "ticker", "FROM /messages/modules/ticker/outputs/* INTO $upstream",
                "feed", "FROM /messages/modules/feeder/outputs/* INTO BrokeredEndpoint(\"/modules/relay/inputs/in\")",
                "relay", "FROM /messages/modules/relay/outputs/* INTO $upstream",
                "scaler", "FROM /messages/modules/scaler/outputs/* INTO $upstream"));
        await("the routes").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> gateway.shell("edge:routes").contains("/modules/relay/inputs/in"));

        // (a) A route file dropped into deploy/ is a module; its messages reach the hub through $upstream.
        drop("ticker.camel.yaml", TICKER);
        await("ticker running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> "running".equals(module("ticker").path("state").asText()
                        .toLowerCase(java.util.Locale.ROOT)));
        assertThat(module("ticker").path("type").asText()).isEqualTo("camel");
        assertThat(gateway.shell("edge:list")).containsPattern("ticker\\s*\\|\\s*camel\\s*\\|\\s*unmanaged\\s*\\|"
                + "\\s*running");
        await("ticks at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> telemetry("ticker").size() >= 3);
        assertThat(telemetry("ticker").get(0).path("body").asText()).matches("\\{\"tick\": \\d+}");

        // (b) A broken route file is reported with its line and column; the other runs on.
        drop("broken.camel.yaml", BROKEN);
        await("broken reported").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> "failed".equals(module("broken").path("state").asText()
                        .toLowerCase(java.util.Locale.ROOT)));
        String reason = module("broken").path("reason").asText();
        assertThat(reason).contains("broken.camel.yaml").containsPattern("line \\d+").containsPattern("column \\d+");
        long sent = module("ticker").path("sent").asLong();
        await("ticker still sending").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions().until(() -> module("ticker").path("sent").asLong() > sent + 2);
        assertThat(module("ticker").path("state").asText()).isEqualToIgnoringCase("running");

        // (c) Replacing a route file keeps the messages waiting on its input: the new routes process all of them.
        drop("relay.camel.yaml", RELAY_1);
        await("relay running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> "running".equals(module("relay").path("state").asText()
                        .toLowerCase(java.util.Locale.ROOT)));
        StringBuilder sends = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            sends.append("edge:send -p seq=").append(i).append(" feeder out '{\"n\": ").append(i).append("}'\n");
        }
        gateway.shell(sends.toString());
        gateway.awaitLog("relay version 1 takes nothing", Duration.ofSeconds(30));
        assertThat(telemetry("relay")).isEmpty();
        drop("relay.camel.yaml", RELAY_2);
        await("all ten through the new routes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> telemetry("relay").stream().map(r -> r.path("properties").path("seq").asText())
                        .distinct().count() == 10);
        assertThat(telemetry("relay")).allSatisfy(r -> assertThat(r.path("properties").path("routeVersion").asText())
                .isEqualTo("2"));

        // (d) A deployment's camel module: inline routes, desired properties fill their placeholders.
        JsonNode applied = deploy(SCALER, "{\"factor\": 3, \"label\": \"line-4\"}");
        assertThat(applied.path("code").asInt()).as(applied.toString()).isEqualTo(200);
        await("scaled readings at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> !telemetry("scaler").isEmpty());
        assertThat(telemetry("scaler").get(0).path("body").asText()).isEqualTo("{\"factor\": 3, \"label\": \"line-4\"}");
        assertThat(module("scaler").path("type").asText()).isEqualTo("camel");
        assertThat(module("scaler").path("managed").asBoolean()).isTrue();

        // A desired property of the wrong type is refused with its JSON path; the module runs on as it was.
        JsonNode refused = deploy(SCALER, "{\"factor\": \"three\", \"label\": \"line-4\"}");
        assertThat(refused.path("code").asInt()).isEqualTo(400);
        assertThat(refused.path("description").asText()).startsWith("400 modulesContent.scaler.properties.desired"
                + ".factor: expected an integer, got \"three\"");
        JsonNode missing = deploy(SCALER, "{\"factor\": 2}");
        assertThat(missing.path("code").asInt()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.path("description").asText()).startsWith("400 modulesContent.scaler.properties.desired"
                + ".label: missing");
        assertThat(module("scaler").path("state").asText()).isEqualToIgnoringCase("running");
        // ... with its old settings: what it sends after the refusals still says factor 3.
        long before = telemetry("scaler").stream().mapToLong(r -> r.path("sequence").asLong()).max().orElse(-1);
        await("fresh scaled readings at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> telemetry("scaler").stream().anyMatch(r -> r.path("sequence").asLong() > before));
        assertThat(telemetry("scaler")).filteredOn(r -> r.path("sequence").asLong() > before).isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("body").asText())
                        .isEqualTo("{\"factor\": 3, \"label\": \"line-4\"}"));
        assertThat(gateway.shell("edge:status")).contains("scaler");
    }

    /** Puts a route file into the gateway's deploy/ whole (written beside it, then moved), as a copy would. */
    private void drop(String name, String content) throws Exception {
        Path tmp = Files.createTempFile(gateway.home(), name, ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, gateway.home().resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the module as {@code edge:list --json} shows it, or a missing node */
    private JsonNode module(String name) throws Exception {
        String out = gateway.shell("edge:list --json");
        JsonNode list = JSON.readTree(out.substring(out.indexOf('['), out.lastIndexOf(']') + 1));
        for (JsonNode m : list) {
            if (name.equals(m.path("name").asText())) {
                return m;
            }
        }
        return JSON.missingNode();
    }

    /** @return the hub's newest telemetry from a module of the gateway, oldest first */
    private List<JsonNode> telemetry(String module) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : pair.hub.shell("hub:telemetry --json -n 500 -d " + DEVICE).split("\n")) {
            if (line.startsWith("{")) {
                JsonNode r = JSON.readTree(line);
                if (module.equals(r.path("moduleId").asText())) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Deploys one camel module, {@code scaler}, with these routes inline and these desired properties. */
    private JsonNode deploy(String routes, String desired) throws Exception {
        String manifest = "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {\"scaler\": {\"type\": \"camel\", \"settings\": {\"inline\": "
                + JSON.writeValueAsString(routes) + "}}}}}, \"scaler\": {\"properties.desired\": " + desired + "}}}";
        Path file = Files.createTempFile(gateway.home(), "deployment", ".json");
        Files.writeString(file, manifest);
        String out = gateway.shell("edge:deploy --json " + file);
        return JSON.readTree(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    }
}
