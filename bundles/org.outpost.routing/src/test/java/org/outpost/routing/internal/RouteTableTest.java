/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.routelanguage.RouteMessage;

class RouteTableTest {

    private static RouteMessage from(String module, String output, String json) {
        return RouteMessage.of(RouteTable.sourceOf(module, output), Message.builder().json(json)
                .property("MessageType", "Alert").build());
    }

    private static java.util.Set<String> endpoints(RouteTable t, RouteMessage m) {
        return t.endpointsFor(m, route -> { }).keySet();
    }

    @Test
    void deliversToEachEndpointOnceInRouteOrder() {
        RouteTable t = RouteTable.fromProperties(Map.of(
                "route.all", "FROM /messages/* INTO $upstream",
                "route.sensor", "FROM /messages/modules/sensor/* INTO $upstream",
                "route.toFilter", "FROM /messages/modules/sensor/outputs/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")",
                "unrelated.key", "x"));

        assertThat(endpoints(t, from("sensor", "temp", "{}")))
                .containsExactly("outpost.endpoint.upstream", "outpost.modules.filter.inputs.in");
        assertThat(endpoints(t, from("filter", "alerts", "{}"))).containsExactly("outpost.endpoint.upstream");
    }

    @Test
    void aMessageWithoutAnOutputComesFromTheModuleItselfAsInEdgeHub() {
        RouteTable t = RouteTable.fromProperties(Map.of(
                "route.module", "FROM /messages/modules/sensor/* INTO $upstream",
                "route.outputs", "FROM /messages/modules/sensor/outputs/* INTO BrokeredEndpoint(\"/modules/f/inputs/in\")"));

        assertThat(RouteTable.sourceOf("sensor", null)).isEqualTo("/messages/modules/sensor");
        assertThat(endpoints(t, from("sensor", null, "{}"))).containsExactly("outpost.endpoint.upstream");
    }

    @Test
    void aLeafDevicesMessageComesFromMessagesWithoutAModuleAsInEdgeHub() {
        RouteTable t = RouteTable.fromProperties(Map.of(
                "route.leaves", "FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO $upstream",
                "route.modules", "FROM /messages/modules/* INTO BrokeredEndpoint(\"/modules/f/inputs/in\")"));
        Message leaf = Message.builder().json("{}").connectionDeviceId("leaf").build();
        Message module = Message.builder().json("{}").connectionDeviceId("gw").connectionModuleId("sensor")
                .outputName("o").build();

        assertThat(RouteTable.sourceOf(null, null)).isEqualTo("/messages");
        assertThat(RouteTable.sender(leaf)).isEqualTo("leaf");
        assertThat(endpoints(t, RouteMessage.of(RouteTable.sourceOf(null, null), leaf)))
                .containsExactly("outpost.endpoint.upstream");
        assertThat(endpoints(t, RouteMessage.of(RouteTable.sourceOf("sensor", "o"), module)))
                .containsExactly("outpost.modules.f.inputs.in");
    }

    @Test
    void takesARouteOnlyWhenItsConditionIsTrue() {
        RouteTable t = RouteTable.fromProperties(Map.of(
                "route.hot", "FROM /messages/* WHERE $body.temp > 30 INTO BrokeredEndpoint(\"/modules/alarm/inputs/in\")",
                "route.alerts", "FROM /messages/* WHERE MessageType = 'Alert' INTO $upstream"));

        assertThat(endpoints(t, from("s", "o", "{\"temp\": 31}")))
                .containsExactly("outpost.endpoint.upstream", "outpost.modules.alarm.inputs.in");
        assertThat(endpoints(t, from("s", "o", "{\"temp\": 29}"))).containsExactly("outpost.endpoint.upstream");
        // As in edgeHub, a path the body lacks is null, which orders above numbers; an object is no value at all.
        assertThat(endpoints(t, from("s", "o", "{\"temp\": {\"c\": 31}}"))).containsExactly("outpost.endpoint.upstream");
    }

    @Test
    void oneBadRouteRejectsTheWholeSetNamingEveryProblem() {
        assertThatThrownBy(() -> RouteTable.fromProperties(Map.of(
                "route.good", "FROM /messages/* INTO $upstream",
                "route.bad", "FROM /messages/* INTO nowhere",
                "route.typed", "FROM /messages/* WHERE temp > 30 INTO $upstream")))
                .hasMessage("route 'bad': column 23: the sink must be $upstream or"
                        + " BrokeredEndpoint(\"/modules/<module>/inputs/<input>\"), found 'nowhere'; route 'typed':"
                        + " column 29: cannot compare string with number (use as_number(temp))");
    }

    @Test
    void anEndpointReachedByTwoRoutesGetsTheBestPriorityAndThatRoutesTimeToLiveAndUpstreamItsName() {
        RouteTable t = RouteTable.fromProperties(Map.of(
                "route.all", "FROM /messages/* INTO $upstream",
                "route.alerts", "FROM /messages/* WHERE MessageType = 'Alert' INTO $upstream",
                "route.alerts.priority", "0",
                "route.alerts.timeToLiveSecs", "86400",
                "route.bulk", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/archive/inputs/in\")",
                "route.bulk.priority", "7",
                "storeAndForward.timeToLiveSecs", "60"));

        assertThat(t.endpointsFor(from("s", "o", "{}"), r -> { })).containsExactly(
                Map.entry("outpost.endpoint.upstream", new RouteTable.Delivery(9, 86_400_000, "alerts")),
                Map.entry("outpost.modules.archive.inputs.in", new RouteTable.Delivery(2, 60_000)));
        assertThat(RouteTable.jmsPriority(null)).isZero();
        assertThat(RouteTable.jmsPriority(9)).isZero();
        assertThat(RouteTable.jmsPriority(0)).isEqualTo(9);
    }

    @Test
    void timeToLiveDefaultsToTwoHours() {
        RouteTable t = RouteTable.fromProperties(Map.of("route.all", "FROM /messages/* INTO $upstream"));

        assertThat(t.timeToLiveMs("all")).isEqualTo(7_200_000);
    }

    @Test
    void rejectsBadPrioritiesTimesToLiveAndSettingsOfUnknownRoutes() {
        assertThatThrownBy(() -> RouteTable.fromProperties(Map.of(
                "route.a", "FROM /messages/* INTO $upstream",
                "route.a.priority", "10",
                "route.a.timeToLiveSecs", "-1",
                "route.a.colour", "red",
                "route.b.priority", "1",
                "storeAndForward.timeToLiveSecs", "0")))
                .hasMessage("route.a.colour: unknown route setting (use priority or timeToLiveSecs);"
                        + " route.a.priority=10: a priority is 0 (highest) to 9;"
                        + " route.a.timeToLiveSecs=-1: a time to live is seconds, 0 or more;"
                        + " route.b.priority: there is no route 'b';"
                        + " storeAndForward.timeToLiveSecs=0: the default time to live is seconds, more than 0");
    }

    @Test
    void endpointSizeBoundAndPolicyDefaultToOneGibibyteAndReject() {
        RouteTable t = RouteTable.fromProperties(Map.of("route.all", "FROM /messages/* INTO $upstream"));
        assertThat(t.maxBytesPerEndpoint()).isEqualTo(1L << 30);
        assertThat(t.whenFull()).isEqualTo(RouteTable.WhenFull.REJECT);

        RouteTable d = RouteTable.fromProperties(Map.of("route.all", "FROM /messages/* INTO $upstream",
                "storeAndForward.maxBytesPerEndpoint", "65536", "storeAndForward.whenFull", "drop-oldest"));
        assertThat(d.maxBytesPerEndpoint()).isEqualTo(65536);
        assertThat(d.whenFull()).isEqualTo(RouteTable.WhenFull.DROP_OLDEST);
    }

    @Test
    void badSizeBoundsAndPoliciesAreRejectedWithWhatToUse() {
        assertThatThrownBy(() -> RouteTable.fromProperties(Map.of("route.all", "FROM /messages/* INTO $upstream",
                "storeAndForward.maxBytesPerEndpoint", "10", "storeAndForward.whenFull", "drop-newest")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storeAndForward.maxBytesPerEndpoint=10: the endpoint size bound is bytes,"
                        + " at least 1024")
                .hasMessageContaining("storeAndForward.whenFull=drop-newest: use reject");
    }

    @Test
    void endpointNamesAreAsRoutesWriteThem() {
        assertThat(RouteTable.endpointName("outpost.endpoint.upstream")).isEqualTo("$upstream");
        assertThat(RouteTable.endpointName("outpost.modules.filter.inputs.input1"))
                .isEqualTo("BrokeredEndpoint(\"/modules/filter/inputs/input1\")");
    }
}
