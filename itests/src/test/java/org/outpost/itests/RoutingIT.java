/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;


import org.apache.karaf.shell.support.CommandException;
import org.junit.Test;
import org.outpost.api.message.Message;

/** Routes with WHERE conditions decide what reaches the cloud, and a new route set applies without a restart. */
public class RoutingIT extends OutpostTestSupport {

    private static final String HOT = "FROM /messages/modules/probe/* WHERE $body.t > 30 AND MessageType = 'reading'"
            + " INTO $upstream";

    @Test
    public void aWhereOnTheBodyDecidesWhatReachesTheCloudAfterALiveRouteChange() throws Exception {
        // Whatever another test of this class left: the sensor's readings go to the cloud.
        setRoutes(Map.of("route.sensor", "FROM /messages/modules/simulated-temperature-sensor/* INTO $upstream"));
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-routing")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> sub.from("simulated-temperature-sensor").size() >= 1);

            setRoutes(Map.of("route.hot", HOT));

            for (int i = 1; i <= 10; i++) {
                double t = i % 2 == 0 ? 40 + i : 10 + i;
                runtime.inject("probe", "out", Message.builder().json("{\"t\": " + t + "}")
                        .property("MessageType", "reading").property("sequence", Integer.toString(i)).build());
            }
            runtime.inject("probe", "out", Message.builder().json("{\"t\": 99}").property("MessageType", "reading")
                    .property("sequence", "last").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.from("probe").stream()
                    .anyMatch(r -> "last".equals(r.topic().properties().get("sequence"))));

            List<String> arrived = sub.from("probe").stream().map(r -> r.topic().properties().get("sequence"))
                    .toList();
            assertThat(arrived).containsExactly("2", "4", "6", "8", "10", "last");

            assertThat(shell("edge:routes")).contains("/messages/modules/probe/*", "$upstream")
                    .containsPattern("hot\\s*\\|.*\\$body\\.t > 30.*\\|\\s*6\\s*\\|");
            java.nio.file.Path message = java.nio.file.Files.createTempFile("message", ".json");
            // An object has no value to compare (a missing $body.t would be null, which edgeHub orders above numbers).
            java.nio.file.Files.writeString(message, "{\"source\": \"/messages/modules/probe/outputs/out\","
                    + " \"body\": \"{\\\"t\\\": {\\\"a\\\": 1}}\", \"contentType\": \"application/json\","
                    + " \"contentEncoding\": \"utf-8\", \"appProperties\": {\"MessageType\": \"reading\"}}");
            assertThat(shell("edge:explain all " + message)).contains("hot", "no",
                    "condition is undefined: $body.t has no value");
        }
    }

    @Test
    public void theRoutesFileInEtcAppliesWhenItChangesAndABadOneChangesNothing() throws Exception {
        Path file = Path.of(System.getProperty("karaf.etc"), "edgehub.json");
        Files.writeString(file, "{\"routes\": {\"fromFile\": {\"route\": \"FROM /messages/modules/file/* INTO"
                + " $upstream\", \"priority\": 1}}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> routing.routes().stream()
                .anyMatch(r -> r.name().equals("fromFile") && r.priority() == 1));
        assertThat(routing.routes()).hasSize(1);

        Files.writeString(file, "{\"routes\": {\"broken\": \"FROM /messages/* WHERE temp > INTO $upstream\","
                + " \"other\": \"FROM /messages/* INTO $upstream\"}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> routing.lastRejection().orElse("")
                .contains("edgehub.json rejected"));
        assertThat(routing.lastRejection().orElseThrow()).contains("route 'broken'", "column");
        assertThat(routing.routes()).extracting(r -> r.name()).containsExactly("fromFile");
        assertThat(shell("edge:routes")).contains("Last rejected route set:", "edgehub.json rejected");
    }

    @Test
    public void aRouteSetWithAnErrorIsRejectedWholeAndTheRunningRoutesStay() throws Exception {
        setRoutes(Map.of("route.toFilter", "FROM /messages/modules/simulated-temperature-sensor/* INTO"
                + " BrokeredEndpoint(\"/modules/temperature-filter/inputs/input1\")"));
        // setRoutes waits until the router has seen the set; it rejects it, being bad.
        setRoutes(Map.of("route.good", "FROM /messages/* INTO $upstream",
                "route.bad", "FROM /messages/* WHERE temp > 30 INTO $upstream"));

        // The rejected set did not replace the running one: the sensor's readings still reach the filter.
        long received = runtime.module("temperature-filter").orElseThrow().received();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                runtime.module("temperature-filter").orElseThrow().received() >= received + 3);
    }

    @Test
    public void routesSetTakesAnEdgeHubSectionAndRejectsABadOneWhole() throws Exception {
        java.nio.file.Path good = java.nio.file.Files.createTempFile("edgehub", ".json");
        java.nio.file.Files.writeString(good, "{\"$edgeHub\": {\"properties.desired\": {\"routes\": {"
                + "\"fromSensor\": {\"route\": \"FROM /messages/modules/simulated-temperature-sensor/* INTO"
                + " BrokeredEndpoint(\\\"/modules/temperature-filter/inputs/input1\\\")\", \"priority\": 1}},"
                + " \"storeAndForwardConfiguration\": {\"timeToLiveSecs\": 600}}}}");
        assertThat(shell("edge:routes-set " + good)).contains("Routes replaced");
        await().atMost(Duration.ofSeconds(30)).until(() -> routerHas("route.fromSensor"));
        assertThat(shell("edge:routes")).containsPattern("fromSensor\\s*\\|.*\\|\\s*1\\s*\\|\\s*600\\s*\\|");

        java.nio.file.Path bad = java.nio.file.Files.createTempFile("edgehub", ".json");
        java.nio.file.Files.writeString(bad, "{\"routes\": {\"ok\": \"FROM /messages/* INTO $upstream\","
                + " \"typo\": \"FROM /messages/* WHERE temp > 30 INTO $upstream\"}}");
        assertThatThrownBy(() -> shell("edge:routes-set " + bad)).isInstanceOf(CommandException.class)
                .hasMessage("Refused, the running routes are unchanged: route 'typo': column 29: cannot compare string"
                        + " with number (use as_number(temp))");
        assertThat(shell("edge:routes")).contains("fromSensor").doesNotContain("typo");
    }
}
