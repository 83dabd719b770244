/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.outpost.adapter.opcua.FreePort;

/** The DS component serves the simulator on the configured port while it is active, and says what to fix when not. */
class SimulatorComponentTest {

    @Test
    void servesWhileActiveAndFreesThePortWhenDeactivated() throws Exception {
        int port = FreePort.find();
        SimulatorComponent component = new SimulatorComponent();
        component.activate(config(port));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(socket.isConnected()).isTrue();
        } finally {
            component.deactivate();
        }
        // Netty closes the listening channel after the server's shutdown completes.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        });
    }

    @Test
    void aTakenPortFailsActivationNamingTheConfiguration() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SimulatorComponent component = new SimulatorComponent();
            assertThatThrownBy(() -> component.activate(config(taken.getLocalPort())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("etc/org.outpost.adapter.opcua.simulator.cfg");
        }
    }

    private static SimulatorComponent.Config config(int port) {
        return new SimulatorComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SimulatorComponent.Config.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String bind_address() {
                return "127.0.0.1";
            }

            @Override
            public String hostname() {
                return "";
            }

            @Override
            public long interval_ms() {
                return 100;
            }
        };
    }
}
