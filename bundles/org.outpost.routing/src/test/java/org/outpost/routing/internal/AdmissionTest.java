/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.api.module.SendException;

class AdmissionTest {

    private static final String UPSTREAM = "outpost.endpoint.upstream";
    private static final String FILTER = "outpost.modules.filter.inputs.in";

    private final FakeBroker broker = new FakeBroker();
    private final FakeMetrics metrics = new FakeMetrics();
    private final Admission admission = new Admission(broker, metrics);

    @AfterEach
    void close() {
        admission.close();
    }

    private static RouteSets.Running routes(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return new RouteSets.Running(RouteTable.fromProperties(properties));
    }

    private static Message from(String module, String output, String json) {
        return Message.builder().json(json).connectionModuleId(module).outputName(output).build();
    }

    @Test
    void aMessageGoesToEveryEndpointItsRoutesNameEachOnceWithTheBestPriority() throws Exception {
        RouteSets.Running r = routes(
                "route.all", "FROM /messages/* INTO $upstream",
                "route.hot", "FROM /messages/* WHERE $body.temp > 30 INTO $upstream",
                "route.hot.priority", "1",
                "route.toFilter", "FROM /messages/modules/sensor/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")");

        Map<String, RouteTable.Delivery> d = admission.admit(r, from("sensor", "temp", "{\"temp\": 31}"));

        assertThat(d).containsOnlyKeys(UPSTREAM, FILTER);
        assertThat(d.get(UPSTREAM).jmsPriority()).isEqualTo(8);
        assertThat(r.taken()).allSatisfy((route, n) -> assertThat(n.sum()).as(route).isEqualTo(1));
        assertThat(metrics.count("edgehub_messages_received_total", "id", "sensor", "route_output", "temp")).isEqualTo(1);
    }

    @Test
    void aLeafDevicesMessageIsTakenFromMessagesAndCountedUnderItsDevice() throws Exception {
        RouteSets.Running r = routes(
                "route.leaves", "FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO $upstream",
                "route.modules", "FROM /messages/modules/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")");
        Message leaf = Message.builder().json("{}").connectionDeviceId("leaf").build();

        assertThat(admission.admit(r, leaf)).containsOnlyKeys(UPSTREAM);
        assertThat(admission.admit(r, from("sensor", "out", "{}"))).containsOnlyKeys(FILTER);
        assertThat(metrics.count("edgehub_messages_received_total", "id", "leaf", "route_output", "")).isEqualTo(1);
    }

    @Test
    void twinChangeNotificationsNoRouteTakesAreCountedApart() throws Exception {
        RouteSets.Running r = routes("route.sensor", "FROM /messages/modules/sensor/* INTO $upstream");

        admission.admit(r, from("sensor", org.outpost.routing.api.Routing.TWIN_CHANGE_NOTIFICATIONS, "{}"));
        admission.admit(r, from("other", "out", "{}"));

        assertThat(admission.noRoute()).isEqualTo(2);
        assertThat(admission.noRouteTwinChanges()).isEqualTo(1);
    }

    @Test
    void aMessageNoRouteTakesIsCountedAsNoRoute() throws Exception {
        RouteSets.Running r = routes("route.sensor", "FROM /messages/modules/sensor/* INTO $upstream");

        assertThat(admission.admit(r, from("other", "out", "{}"))).isEmpty();
        assertThat(admission.admit(r, from("other", "out", "{}"))).isEmpty();

        assertThat(admission.noRoute()).isEqualTo(2);
        assertThat(admission.noRouteTwinChanges()).isZero();
        assertThat(metrics.count("edgehub_messages_dropped_total", "reason", "no_route", "from", "other",
                "from_route_output", "out")).isEqualTo(2);
        assertThat(r.taken().get("sensor").sum()).isZero();
    }

    @Test
    void aFullEndpointRejectsTheMessageWholeSayingWhy() {
        RouteSets.Running r = routes(
                "route.up", "FROM /messages/* INTO $upstream",
                "route.toFilter", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")",
                "storeAndForward.maxBytesPerEndpoint", "1024");
        broker.bytes.put(FILTER, 1020L);

        assertThatThrownBy(() -> admission.admit(r, from("sensor", "temp", "{\"temp\": 31}")))
                .isInstanceOf(SendException.class)
                .hasMessageStartingWith("endpoint BrokeredEndpoint(\"/modules/filter/inputs/in\") is full: it holds"
                        + " 1020 bytes and its bound is 1024 (storeAndForward.maxBytesPerEndpoint); the message was"
                        + " not stored.");
        assertThat(admission.rejected(FILTER)).isEqualTo(1);
        assertThat(admission.rejected(UPSTREAM)).isZero();
        assertThat(metrics.count("edgehub_messages_rejected_total", "from", "sensor", "to",
                "BrokeredEndpoint(\"/modules/filter/inputs/in\")")).isEqualTo(1);
        assertThat(broker.drops).isEmpty();
    }

    @Test
    void aMessageThatFitsExactlyIsAdmitted() throws Exception {
        RouteSets.Running r = routes("route.up", "FROM /messages/* INTO $upstream",
                "storeAndForward.maxBytesPerEndpoint", "1024");
        broker.bytes.put(UPSTREAM, 1024L - 2);

        assertThat(admission.admit(r, from("sensor", "temp", "{}"))).containsOnlyKeys(UPSTREAM);
        assertThat(admission.rejected(UPSTREAM)).isZero();
    }

    @Test
    void underDropOldestAFullEndpointTakesTheMessageAndDropsItsOldestDownToNinetyPercent() throws Exception {
        RouteSets.Running r = routes("route.up", "FROM /messages/* INTO $upstream",
                "storeAndForward.maxBytesPerEndpoint", "10000", "storeAndForward.whenFull", "drop-oldest");
        broker.bytes.put(UPSTREAM, 10_000L);
        Message m = from("sensor", "temp", "{\"t\": 1}");

        assertThat(admission.admit(r, m)).containsOnlyKeys(UPSTREAM);

        await().atMost(Duration.ofSeconds(5)).until(() -> admission.droppedWhenFull(UPSTREAM) == 3);
        assertThat(broker.drops).containsExactly(new FakeBroker.Drop(UPSTREAM, 10_000L + m.body().length - 9_000));
        assertThat(metrics.count("edgehub_messages_dropped_total", "reason", "endpoint_full", "to", "$upstream"))
                .isEqualTo(3);
        assertThat(admission.rejected(UPSTREAM)).isZero();
    }
}
