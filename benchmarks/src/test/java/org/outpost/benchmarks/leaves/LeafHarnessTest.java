/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.time.Duration;
import java.util.List;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.outpost.benchmarks.ProcessMemory;
import org.outpost.itests.GatewayProcess;

/**
 * The leaf benchmark's parts that need no gateway: simulated leaves over TLS to a real Mosquitto that the harness
 * starts, a subscriber counting what arrives, memory read from the process. Skipped where Mosquitto or openssl is not
 * installed (the benchmark needs them; .ci/run installs them).
 */
class LeafHarnessTest {

    private static void assumeInstalled() {
        assumeThat(new File("/usr/sbin/mosquitto").canExecute() || new File("/usr/bin/mosquitto").canExecute())
                .as("mosquitto installed").isTrue();
        assumeThat(System.getenv("PATH")).as("openssl on the PATH").matches(p -> java.util.Arrays.stream(p.split(
                File.pathSeparator)).anyMatch(d -> new File(d, "openssl").canExecute()));
    }

    @Test
    void leavesConnectOverTlsWithTheirTokensAndEveryMessageTheySendReachesTheCloudSubscriber() throws Exception {
        assumeInstalled();
        int tls = GatewayProcess.freePort();
        int plain = GatewayProcess.freePort();
        try (TlsBroker broker = new TlsBroker(tls, plain).start();
                LeafClients clients = new LeafClients(2, "outpost-hub.local");
                CloudCounter cloud = new CloudCounter(plain, CloudCounter.TELEMETRY)) {
            SslContext trust = SslContextBuilder.forClient().trustManager(broker.caPem().toFile()).build();
            List<LeafClients.Leaf> leaves = LeafBenchmark.leaves(50);

            LeafClients.Connected c = clients.connect(new LeafClients.Target("localhost", tls, trust), leaves, 10,
                    Duration.ofMinutes(1));

            assertThat(c.accepted()).isEqualTo(50);
            assertThat(c.refused() + c.failed()).isZero();
            assertThat(c.perSecond()).isPositive();
            assertThat(clients.connected()).isEqualTo(50);
            assertThat(ProcessMemory.rssKb(broker.pid())).isPositive();

            double rate = LeafBenchmark.sendAndCount(clients, cloud, new LeafBenchmark.Load(50, 20, 128));

            assertThat(cloud.received()).isEqualTo(1000);
            assertThat(rate).isPositive();
        }
    }

    @Test
    void aLeafThatCannotCompleteTheTlsHandshakeCountsAsFailedNotAccepted() throws Exception {
        assumeInstalled();
        int tls = GatewayProcess.freePort();
        try (TlsBroker broker = new TlsBroker(tls, -1).start();
                LeafClients clients = new LeafClients(1, "outpost-hub.local")) {
            // Trusting only the JVM's CAs: the broker's own CA is not among them.
            SslContext wrongTrust = SslContextBuilder.forClient().build();

            LeafClients.Connected c = clients.connect(new LeafClients.Target("localhost", tls, wrongTrust),
                    LeafBenchmark.leaves(3), 3, Duration.ofMinutes(1));

            assertThat(c.accepted()).isZero();
            assertThat(c.failed()).isEqualTo(3);
        }
    }

    @Test
    void theHeapAfterAFullCollectionIsReadFromARunningJvm() throws Exception {
        long kb = ProcessMemory.heapAfterGcKb(ProcessHandle.current().pid());

        assertThat(kb).isPositive();
    }
}
