/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.adapter.modbus.simulator.ModbusSimulator;

/**
 * The gateway's sample route file samples/routes/modbus-reader.camel.yaml, loaded as the YAML DSL loads it, with its
 * placeholders filled as a module's configuration fills them, reads the simulator; the {@code outpost} component is
 * stood in for by {@code seda} (same URIs), so that what the route sends to {@code outpost:output/telemetry} is seen.
 */
class ModbusReaderSampleTest {

    static final Path SAMPLE = Path.of("../../../karaf-distribution/gateway/src/main/resources/samples/routes/"
            + "modbus-reader.camel.yaml");

    private ModbusSimulator simulator;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        simulator = ModbusSimulator.start("127.0.0.1", 0, 1, 8);
        camel = new DefaultCamelContext();
        camel.addComponent("outpost", new SedaComponent());
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        simulator.close();
    }

    @Test
    void theSampleSendsTheRegistersAsJsonAndFollowsAChange() throws Exception {
        assertThat(SAMPLE).exists();
        Properties config = new Properties();
        config.put("modbus.port", String.valueOf(simulator.port()));
        config.put("modbus.period", "100");
        camel.getPropertiesComponent().setInitialProperties(config);
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveResource(camel, "file:" + SAMPLE.toAbsolutePath().normalize()));
        simulator.setHoldingRegister(0, 5);
        simulator.setHoldingRegister(1, 215);
        simulator.setHoldingRegister(2, 1013);
        camel.start();

        ConsumerTemplate telemetry = camel.createConsumerTemplate();
        assertThat(telemetry.receiveBody("outpost:output/telemetry", 20_000, String.class))
                .isEqualTo("{\"counter\":5,\"temperature\":215,\"pressure\":1013}");

        simulator.setHoldingRegister(1, 230);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                telemetry.receiveBody("outpost:output/telemetry", 2_000, String.class)).contains("\"temperature\":230"));
    }

    @Test
    void aDeviceThatIsDownSendsNothingAndTheRouteKeepsPolling() throws Exception {
        int port = simulator.port();
        simulator.close();
        Properties config = new Properties();
        config.put("modbus.port", String.valueOf(port));
        config.put("modbus.period", "100");
        config.put("modbus.timeout", "500");
        camel.getPropertiesComponent().setInitialProperties(config);
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveResource(camel, "file:" + SAMPLE.toAbsolutePath().normalize()));
        camel.start();

        ConsumerTemplate telemetry = camel.createConsumerTemplate();
        assertThat(telemetry.receiveBody("outpost:output/telemetry", 1_500, String.class)).isNull();

        simulator = ModbusSimulator.start("127.0.0.1", port, 1, 8);
        simulator.setHoldingRegister(0, 9);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                telemetry.receiveBody("outpost:output/telemetry", 2_000, String.class)).contains("\"counter\":9"));
    }
}
