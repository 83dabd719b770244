/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.time.Duration;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;

import org.junit.jupiter.api.Test;
import org.outpost.adapter.modbus.simulator.ModbusSimulator;

/** The simulator answers a real Modbus TCP master (j2mod's), with no serial-port library on the class path. */
class SimulatorTest {

    @Test
    void aMasterReadsWhatTheTestSet() throws Exception {
        try (ModbusSimulator simulator = ModbusSimulator.start("127.0.0.1", 0, 1, 4)) {
            simulator.setHoldingRegister(0, 42);
            simulator.setHoldingRegister(3, 65535);
            simulator.setInputRegister(1, 7);
            simulator.setCoil(2, true);
            ModbusTCPMaster master = new ModbusTCPMaster("127.0.0.1", simulator.port());
            master.connect();
            try {
                Register[] holding = master.readMultipleRegisters(1, 0, 4);
                assertThat(holding[0].getValue()).isEqualTo(42);
                assertThat(holding[3].toUnsignedShort()).isEqualTo(65535);
                InputRegister[] input = master.readInputRegisters(1, 0, 2);
                assertThat(input[1].getValue()).isEqualTo(7);
                assertThat(master.readCoils(1, 0, 4).getBit(2)).isTrue();
            } finally {
                master.disconnect();
            }
            assertThat(simulator.holdingRegister(0)).isEqualTo(42);
        }
    }

    @Test
    void anAddressOutsideTheUnitIsRefusedWithTheRange() {
        try (ModbusSimulator simulator = ModbusSimulator.start("127.0.0.1", 0, 1, 4)) {
            assertThatThrownBy(() -> simulator.setHoldingRegister(4, 1)).hasMessageContaining("outside 0..3");
        }
    }

    @Test
    void aTakenPortIsReportedWithWhatToDo() {
        try (ModbusSimulator first = ModbusSimulator.start("127.0.0.1", 0, 1, 4)) {
            assertThatThrownBy(() -> ModbusSimulator.start("127.0.0.1", first.port(), 1, 4))
                    .hasMessageContaining("port " + first.port()).hasMessageContaining("choose another port");
        }
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ModbusSimulator.start("127.0.0.1", taken.getLocalPort(), 1, 4))
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("choose another port or stop what listens there");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theDemoComponentMovesItsRegisters() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SimulatorComponent component = new SimulatorComponent(config(port, 50));
        ModbusTCPMaster master = new ModbusTCPMaster("127.0.0.1", port);
        try {
            master.connect();
            int first = master.readMultipleRegisters(1, 0, 1)[0].getValue();
            await().atMost(Duration.ofSeconds(10)).until(() -> master.readMultipleRegisters(1, 0, 1)[0].getValue()
                    > first);
            Register[] all = master.readMultipleRegisters(1, 0, 3);
            assertThat(all[1].getValue()).isBetween(185, 245);
            assertThat(all[2].getValue()).isBetween(1008, 1018);
        } finally {
            master.disconnect();
            component.deactivate();
        }
    }

    private static SimulatorComponent.Config config(int port, long interval) {
        return new SimulatorComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SimulatorComponent.Config.class;
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public int unitId() {
                return 1;
            }

            @Override
            public int size() {
                return 16;
            }

            @Override
            public long changeIntervalMs() {
                return interval;
            }
        };
    }
}
