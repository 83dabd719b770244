/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.adapter.opcua.simulator.OpcUaSimulator;
import org.outpost.adapter.opcua.simulator.SimulatedTag;

/** camel-milo's client in a plain Camel context subscribes to the simulator's tags and sees them change. */
class MiloClientReadTest {

    private OpcUaSimulator simulator;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        simulator = OpcUaSimulator.start(OpcUaSimulator.settings().port(FreePort.find())
                .interval(Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        simulator.close();
    }

    @Test
    void tagsAreInNamespaceTwo() {
        assertThat(simulator.nodeId(SimulatedTag.TEMPERATURE)).isEqualTo("ns=2;s=Temperature");
        assertThat(simulator.nodeId(SimulatedTag.PRESSURE)).isEqualTo("ns=2;s=Pressure");
        assertThat(simulator.nodeId(SimulatedTag.COUNTER)).isEqualTo("ns=2;s=Counter");
    }

    @Test
    void subscriptionDeliversChangingValuesOfEveryTag() throws Exception {
        List<DataValue> temperature = new CopyOnWriteArrayList<>();
        List<DataValue> pressure = new CopyOnWriteArrayList<>();
        List<DataValue> counter = new CopyOnWriteArrayList<>();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(SimulatedTag.TEMPERATURE)).process(e -> temperature.add(e.getMessage().getBody(DataValue.class)));
                from(uri(SimulatedTag.PRESSURE)).process(e -> pressure.add(e.getMessage().getBody(DataValue.class)));
                from(uri(SimulatedTag.COUNTER)).process(e -> counter.add(e.getMessage().getBody(DataValue.class)));
            }
        });
        camel.start();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(temperature.stream().map(v -> v.getValue().getValue()).distinct().count()).isGreaterThan(3);
            assertThat(pressure.stream().map(v -> v.getValue().getValue()).distinct().count()).isGreaterThan(3);
            assertThat(counter.stream().map(v -> v.getValue().getValue()).distinct().count()).isGreaterThan(3);
        });
        assertThat(temperature).allSatisfy(v -> {
            assertThat(v.getStatusCode().isGood()).isTrue();
            assertThat((Double) v.getValue().getValue()).isBetween(15.0, 25.0);
            assertThat(v.getSourceTime()).isNotNull();
        });
        assertThat(pressure).allSatisfy(v -> assertThat((Double) v.getValue().getValue()).isBetween(1003.0, 1023.0));
        List<Long> counts = counter.stream().map(v -> (Long) v.getValue().getValue()).toList();
        assertThat(counts).isSorted();
        assertThat(counts.get(counts.size() - 1)).isLessThanOrEqualTo(simulator.ticks());
    }

    private String uri(SimulatedTag tag) {
        return "milo-client:opc.tcp://127.0.0.1:" + simulator.port() + "?node=RAW(ns=2;s=" + tag.tagName() + ")"
                + "&samplingInterval=50";
    }
}
