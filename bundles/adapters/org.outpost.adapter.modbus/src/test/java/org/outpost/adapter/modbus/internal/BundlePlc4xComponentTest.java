/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.adapter.modbus.simulator.ModbusSimulator;

/** camel-plc4x (as this bundle resolves it) reads the j2mod simulator over real Modbus TCP. */
class BundlePlc4xComponentTest {

    private ModbusSimulator simulator;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        simulator = ModbusSimulator.start("127.0.0.1", 0, 1, 8);
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        simulator.close();
    }

    @Test
    void thePlc4xNameResolvesToTheComponentThatLoadsDriversThroughThisBundle() {
        assertThat(camel.getComponent("plc4x")).isInstanceOf(BundlePlc4xComponent.class);
    }

    @Test
    void aPolledHoldingRegisterFollowsTheSimulator() throws Exception {
        BlockingQueue<Map<?, ?>> readings = new LinkedBlockingQueue<>();
        String plc = "plc4x:modbus-tcp://127.0.0.1:" + simulator.port()
                + "?unit-identifier=1&tag.counter=holding-register:1&tag.temperature=holding-register:2";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:poll?period=100").pollEnrich(plc, 2000)
                        .process(e -> readings.add(e.getMessage().getBody(Map.class)));
            }
        });
        simulator.setHoldingRegister(0, 7);
        simulator.setHoldingRegister(1, 215);
        camel.start();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<?, ?> last = readings.take();
            assertThat(last.get("counter")).hasToString("7");
            assertThat(last.get("temperature")).hasToString("215");
        });

        simulator.setHoldingRegister(0, 1234);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(readings.take().get("counter")).hasToString("1234"));
    }
}
