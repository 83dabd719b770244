/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.outpost.adapter.modbus.simulator.ModbusSimulator;

/**
 * A Modbus register change reaches a module (issue 20): a Modbus TCP slave (the j2mod simulator) runs in this JVM; in a
 * real gateway with {@code outpost-adapter-modbus} and {@code outpost-adapter-file} installed, the sample route file
 * {@code modbus-reader.camel.yaml} dropped into {@code deploy/} (its port placeholder's default set to the
 * simulator's) polls it and sends JSON to its output {@code telemetry}; a gateway route takes that to the input of a
 * second route module, {@code modbus-sink}, which appends what it gets to a file. A register changed in the simulator
 * shows up in that file.
 */
public class ModbusAdapterIT {

    private static final String SAMPLE = "samples/routes/modbus-reader.camel.yaml";

    private ModbusSimulator simulator;
    private GatewayProcess gateway;

    @Before
    public void setUp() throws Exception {
        simulator = ModbusSimulator.start("127.0.0.1", GatewayProcess.freePort(), 1, 8);
        simulator.setHoldingRegister(0, 100);
        simulator.setHoldingRegister(1, 215);
        simulator.setHoldingRegister(2, 1013);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath()
                .getParent(), "modbus");
        gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")), dir);
        gateway.routes(Map.of("modbusToSink", "FROM /messages/modules/modbus-reader/outputs/telemetry"
                + " INTO BrokeredEndpoint(\"/modules/modbus-sink/inputs/in\")"));
        gateway.start();
    }

    @After
    public void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    public void aRegisterChangeReachesTheReceivingModule() throws Exception {
        await("the gateway's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> gateway.shell("edge:list").contains("Name"));
        String installed = gateway.shell("feature:install outpost-adapter-modbus outpost-adapter-file\n"
                + "feature:list -i");
        assertThat(installed).contains("outpost-adapter-modbus", "outpost-adapter-file");

        Path received = gateway.home().resolve("data/modbus-sink/received.jsonl");
        drop("modbus-sink.camel.yaml", """
                - route:
                    id: modbus-sink
                    from:
                      uri: outpost:input/in
                      steps:
                        - to:
                            uri: "file:%s"
                            parameters:
                              fileName: received.jsonl
                              fileExist: Append
                              appendChars: "\\\\n"
                """.formatted(received.getParent()));
        drop("modbus-reader.camel.yaml", sample()
                .replace("{{modbus.port:5020}}", "{{modbus.port:" + simulator.port() + "}}")
                .replace("{{modbus.period:1000}}", "{{modbus.period:200}}"));

        await("the first reading in " + received).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> read(received).contains("{\"counter\":100,\"temperature\":215,\"pressure\":1013}"));
        assertThat(gateway.shell("edge:list")).contains("modbus-reader", "modbus-sink");

        simulator.setHoldingRegister(0, 4242);
        simulator.setHoldingRegister(1, 230);
        await("the changed registers in " + received).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> read(received).contains("{\"counter\":4242,\"temperature\":230,\"pressure\":1013}"));
    }

    /** @return the sample route file as the distribution ships it (a distribution without it fails the test) */
    private String sample() throws IOException {
        Path shipped = gateway.home().resolve(SAMPLE);
        assertThat(shipped).as("the distribution's sample route module").exists();
        return Files.readString(shipped);
    }

    /** Writes a route file into deploy/ whole (written aside, then moved), as an operator's copy would land. */
    private void drop(String name, String content) throws IOException {
        Path aside = gateway.home().resolve(name + ".part");
        Files.writeString(aside, content);
        Files.move(aside, gateway.home().resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
