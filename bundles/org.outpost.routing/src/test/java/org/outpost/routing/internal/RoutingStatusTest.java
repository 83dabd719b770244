/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;

class RoutingStatusTest {

    private static final String UPSTREAM = "outpost.endpoint.upstream";
    private static final String FILTER = "outpost.modules.filter.inputs.in";

    private final FakeBroker broker = new FakeBroker();
    private final Admission admission = new Admission(broker, new FakeMetrics());
    private final RouteSets.Running running = new RouteSets.Running(RouteTable.fromProperties(Map.of(
            "route.alerts", "FROM /messages/* WHERE MessageType = 'Alert' INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")",
            "route.alerts.priority", "2",
            "route.alerts.timeToLiveSecs", "60",
            "route.sensor", "FROM /messages/modules/sensor/* INTO $upstream",
            "storeAndForward.maxBytesPerEndpoint", "1024")));
    private final RoutingStatus status = new RoutingStatus(broker, () -> running, admission);

    @AfterEach
    void close() {
        admission.close();
    }

    @Test
    void routesShowTheirSettingsAndWhatEachTook() throws Exception {
        admission.admit(running, Message.builder().json("{}").connectionModuleId("sensor").outputName("o").build());

        assertThat(status.routes()).containsExactly(
                new RouteStatus("alerts", running.table().routes().get(0).text(), "/messages/*", "MessageType = 'Alert'",
                        "BrokeredEndpoint(\"/modules/filter/inputs/in\")", 2, 60, 0),
                new RouteStatus("sensor", "FROM /messages/modules/sensor/* INTO $upstream", "/messages/modules/sensor/*",
                        "", "$upstream", -1, 7200, 1));
    }

    @Test
    void endpointsListUpstreamFirstWithTheirQueuesInRoutePriorities() {
        Instant oldest = Instant.parse("2026-01-01T00:00:00Z");
        broker.depths.put(FILTER, new QueueDepth(5, 500, Map.of(7, 2L, 0, 3L), oldest));
        broker.stats.put(FILTER, new QueueStats(FILTER, 5, 500, 0, 9, 4));

        assertThat(status.endpoints()).containsExactly(
                new EndpointStatus("$upstream", UPSTREAM, 0, 0, 1024, "reject", Map.of(), null, 0, 0, 0),
                new EndpointStatus("BrokeredEndpoint(\"/modules/filter/inputs/in\")", FILTER, 5, 500, 1024, "reject",
                        Map.of(2, 2L, 9, 3L), oldest, 0, 0, 4));
    }

    @Test
    void endpointsCountWhatWasRejectedBecauseTheyWereFull() {
        broker.bytes.put(UPSTREAM, 1024L);
        Message m = Message.builder().json("{}").connectionModuleId("sensor").outputName("o").build();
        assertThatThrownBy(() -> admission.admit(running, m));

        assertThat(status.endpoints().get(0).rejected()).isEqualTo(1);
    }

    @Test
    void metricsGiveQueueLengthsPerPriorityAndExpiredMessagesPerEndpoint() {
        broker.depths.put(FILTER, new QueueDepth(5, 500, Map.of(7, 2L, 0, 3L), null));
        broker.stats.put(FILTER, new QueueStats(FILTER, 5, 500, 0, 9, 4));
        broker.stats.put(UPSTREAM, new QueueStats(UPSTREAM, 0, 0, 0, 0, 1));

        // An empty endpoint reads 0 at its routes' priority (the sensor route has none: 9), not nothing.
        assertThat(status.queueLengths()).containsExactly(
                Map.entry(Map.of("endpoint", "$upstream", "priority", "9"), 0.0),
                Map.entry(Map.of("endpoint", "BrokeredEndpoint(\"/modules/filter/inputs/in\")", "priority", "2"), 2.0),
                Map.entry(Map.of("endpoint", "BrokeredEndpoint(\"/modules/filter/inputs/in\")", "priority", "9"), 3.0));
        assertThat(status.expiredCounts()).containsExactly(
                Map.entry(Map.of("reason", "ttl_expiry", "to", "$upstream"), 1.0),
                Map.entry(Map.of("reason", "ttl_expiry", "to", "BrokeredEndpoint(\"/modules/filter/inputs/in\")"), 4.0));
    }

    @Test
    void explainSaysForEachRouteWhetherItTakesTheMessageAndWhy() {
        assertThat(status.explain("{\"source\": \"/messages/modules/other/outputs/o\", \"body\": \"{}\","
                + " \"appProperties\": {\"MessageType\": \"Alert\"}}")).containsExactly(
                        new RouteExplanation("alerts", true, "taken"),
                        new RouteExplanation("sensor", false, "source /messages/modules/sensor/* does not match"
                                + " /messages/modules/other/outputs/o"));
        assertThat(status.explain("{\"source\": \"/messages/modules/sensor/outputs/o\", \"body\": \"{}\"}"))
                .extracting(RouteExplanation::reason)
                .containsExactly("condition is undefined: MessageType has no value", "taken");
    }

    @Test
    void explainRejectsAMessageThatIsNotJson() {
        assertThatThrownBy(() -> status.explain("{nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the message is not JSON: ");
    }
}
