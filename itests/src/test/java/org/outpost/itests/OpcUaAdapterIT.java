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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.outpost.adapter.opcua.simulator.OpcUaSimulator;

/**
 * The OPC UA adapter on the real distributions: an OPC UA simulator (Milo) runs in this JVM on a free port; the
 * gateway of a hub/gateway pair installs the feature outpost-adapter-opcua from its shell, gets a route from the
 * module opcua-reader's output to $upstream, and the sample route module samples/routes/opcua-reader.camel.yaml
 * (its endpoint placeholder's default pointed at the simulator) is dropped into deploy/: the simulator's changing
 * values arrive at the hub as the sample's JSON, from module opcua-reader, output telemetry.
 */
public class OpcUaAdapterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODULE = "opcua-reader";
    private static final String SAMPLE = "samples/routes/" + MODULE + ".camel.yaml";

    private static OpcUaSimulator simulator;
    private static CloudPair pair;

    @BeforeClass
    public static void start() throws Exception {
        simulator = OpcUaSimulator.start(OpcUaSimulator.settings().port(GatewayProcess.freePort())
                .interval(Duration.ofMillis(200)));
        pair = CloudPair.start(Map.of());
    }

    @AfterClass
    public static void stop() {
        if (pair != null) {
            pair.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    public void changingTagsReadByTheSampleRouteModuleArriveAtTheHub() throws Exception {
        GatewayProcess gateway = pair.gateway;
        gateway.shell("feature:install outpost-adapter-opcua");
        assertThat(gateway.shell("feature:list -i")).contains("outpost-adapter-opcua");
        gateway.routes(Map.of("opcua", "FROM /messages/modules/" + MODULE + "/outputs/telemetry INTO $upstream"));
        await("the route to $upstream").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> gateway.shell("edge:routes").contains("/messages/modules/" + MODULE));

        String route = Files.readString(sample(gateway));
        assertThat(route).contains("opc.tcp://127.0.0.1:4840");
        Path staged = gateway.home().resolve(MODULE + ".camel.yaml");
        Files.writeString(staged, route.replace("opc.tcp://127.0.0.1:4840", simulator.endpointUrl()));
        Files.move(staged, gateway.home().resolve("deploy").resolve(MODULE + ".camel.yaml"),
                StandardCopyOption.ATOMIC_MOVE);

        Instant dropped = Instant.now();
        await("changing OPC UA values at the hub").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<JsonNode> readings = readings();
                    for (String tag : List.of("Temperature", "Pressure", "Counter")) {
                        assertThat(readings.stream().filter(r -> tag.equals(r.path("tag").asText()))
                                .map(r -> r.path("value").asText()).distinct().count())
                                .as("distinct %s values at the hub (of %s readings)", tag, readings.size())
                                .isGreaterThanOrEqualTo(3);
                    }
                });
        List<JsonNode> readings = readings();
        assertThat(readings).allSatisfy(r -> {
            assertThat(r.path("value").isNumber()).as("%s", r).isTrue();
            assertThat(Instant.parse(r.path("sourceTime").asText())).isAfter(dropped.minusSeconds(60));
        });
        assertThat(readings).filteredOn(r -> "Temperature".equals(r.path("tag").asText()))
                .allSatisfy(r -> assertThat(r.path("value").asDouble()).isBetween(15.0, 25.0));
        assertThat(readings).filteredOn(r -> "Counter".equals(r.path("tag").asText()))
                .allSatisfy(r -> assertThat(r.path("value").asLong()).isBetween(1L, simulator.ticks()));
        assertThat(gateway.shell("edge:list")).contains(MODULE);
    }

    /** @return the sample as the distribution ships it (a distribution without it fails the test) */
    private static Path sample(GatewayProcess gateway) {
        Path shipped = gateway.home().resolve(SAMPLE);
        assertThat(shipped).as("the distribution's sample route module").exists();
        return shipped;
    }

    /** The bodies (JSON) of the newest telemetry from the module's output telemetry at the hub. */
    private static List<JsonNode> readings() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (String line : pair.hub.shell("hub:telemetry --json -n 200 -d " + CloudPair.DEVICE).split("\n")) {
            if (!line.trim().startsWith("{")) {
                continue;
            }
            JsonNode message = JSON.readTree(line.trim());
            if (MODULE.equals(message.path("moduleId").asText()) && "telemetry".equals(message.path("output").asText())) {
                bodies.add(JSON.readTree(message.path("body").asText()));
            }
        }
        return bodies;
    }
}
