/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.CheckResult.Level;
import org.outpost.health.internal.PortsCheck.Wanted;

class PortsCheckTest {

    @Test
    void aPortThisProcessListensOnIsOursAndAFreeOneHasNobody() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only");
        try (ServerSocket ours = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int free;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                free = closed.getLocalPort();
            }
            Listeners now = Listeners.read(Path.of("/proc")).orElseThrow();

            assertThat(now.owner(ours.getLocalPort())).isEqualTo(Listeners.Owner.US);
            assertThat(now.owner(free)).isEqualTo(Listeners.Owner.NONE);

            CheckResult r = PortsCheck.judge(List.of(new Wanted(ours.getLocalPort(), "the endpoint", "tls.port in"
                    + " etc/org.outpost.edgehub.cfg"), new Wanted(free, "the metrics endpoint", "port in"
                            + " etc/org.outpost.metrics.cfg")), now);
            assertThat(r.level()).isEqualTo(Level.WARN);
            assertThat(r.detail()).isEqualTo("nothing listens on " + free + " (the metrics endpoint)");
            assertThat(r.action()).contains("port in etc/org.outpost.metrics.cfg");
        }
    }

    @Test
    void aPortAnotherProcessHoldsIsCriticalSayingWhatToChange() {
        Map<Integer, Set<Long>> listening = new HashMap<>();
        Listeners.parse(List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:22B3 00000000:0000 0A 00000000:0000000 00:00000000 00000000  1000        0 4711 1",
                "   1: 0100007F:2580 00000000:0000 0A 00000000:0000000 00:00000000 00000000  1000        0 4712 1",
                "   2: 0100007F:2581 0100007F:D431 01 00000000:0000000 00:00000000 00000000  1000        0 4713 1"),
                listening);
        Listeners listeners = new Listeners(listening, Set.of(4712L));

        assertThat(listeners.owner(8883)).isEqualTo(Listeners.Owner.OTHER);
        assertThat(listeners.owner(9600)).isEqualTo(Listeners.Owner.US);
        assertThat(listeners.owner(9601)).as("an established connection is no listener")
                .isEqualTo(Listeners.Owner.NONE);
        CheckResult r = PortsCheck.judge(List.of(new Wanted(8883, "the IoT Hub endpoint (MQTT over TLS)",
                "tls.port in etc/org.outpost.edgehub.cfg"), new Wanted(9600, "metrics", "port")), listeners);
        assertThat(r).isEqualTo(CheckResult.critical("8883 (the IoT Hub endpoint (MQTT over TLS)) is taken by another"
                + " process", "stop the other process (ss -ltnp shows it) or move to a free port: tls.port in"
                        + " etc/org.outpost.edgehub.cfg; then restart the gateway"));
        assertThat(PortsCheck.judge(List.of(new Wanted(9600, "metrics", "port")), listeners))
                .isEqualTo(CheckResult.ok("listening on 9600"));
    }

    @Test
    void furtherPortsAreReadFromTheConfigurationOrRefusedSayingWhere() {
        assertThat(PortsCheck.parse(" 5000:my module's API, 7000")).containsExactly(new Wanted(5000,
                "my module's API", "ports in etc/org.outpost.health.cfg"), new Wanted(7000, "port 7000",
                        "ports in etc/org.outpost.health.cfg"));
        assertThatThrownBy(() -> PortsCheck.parse("api:5000")).hasMessage("ports in etc/org.outpost.health.cfg:"
                + " 'api:5000' is not port:what");
    }
}
