/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.broker.api.StorageState;

/** A real persistent Artemis in a temporary directory; a full disk is a limit below the disk's current usage. */
class StorageMonitorTest {

    private static final String URL = "vm://7";

    @TempDir
    Path data;
    private ActiveMQServer server;
    private StorageMonitor monitor;
    private final List<String> full = new CopyOnWriteArrayList<>();
    private final List<String> recovered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setMaxDiskUsage(100);
        c.setDiskScanPeriod(100);
        c.setBindingsDirectory(data.resolve("bindings").toString());
        c.setJournalDirectory(data.resolve("journal").toString());
        c.setPagingDirectory(data.resolve("paging").toString());
        c.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(data.toString());
        c.addAcceptorConfiguration("in-vm", URL);
        c.addAddressSetting("#", new AddressSettings().setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(1024 * 1024));
        server = ActiveMQServers.newActiveMQServer(c, true);
        server.start();
        monitor = StorageMonitor.watch(server, data, full::add, recovered::add);
    }

    @AfterEach
    void stop() throws Exception {
        monitor.close();
        server.stop();
    }

    @Test
    void measuresAtOnceAndIsNotFullBelowTheLimit() {
        StorageState s = monitor.state();

        assertThat(s.full()).isFalse();
        assertThat(s.usagePercent()).isBetween(0, 100);
        assertThat(s.maxUsagePercent()).isEqualTo(100);
        assertThat(s.directory()).isEqualTo(data);
        assertThat(full).isEmpty();
    }

    @Test
    void aDiskOverTheLimitIsFullAndSaidOnceWithWhatToDo() {
        monitor.limit(1);
        monitor.limit(1);

        StorageState s = monitor.state();
        assertThat(s.full()).isTrue();
        assertThat(s.maxUsagePercent()).isEqualTo(1);
        assertThat(s.message()).isEqualTo("disk full: " + data + " is at " + s.usagePercent()
                + "% (max.disk.usage 1%); messages are refused until space returns; free space or raise"
                + " max.disk.usage in etc/org.outpost.broker.cfg");
        assertThat(full).containsExactly(s.message());
        assertThat(server.getPagingManager().isDiskFull()).as("Artemis agrees").isTrue();
    }

    @Test
    void whenSpaceReturnsItIsSaidOnceAndTheStorageIsNotFull() {
        monitor.limit(1);
        monitor.limit(100);
        monitor.limit(100);

        assertThat(monitor.state().full()).isFalse();
        assertThat(recovered).singleElement().asString().startsWith("disk space returned: " + data + " is at ")
                .endsWith("(max.disk.usage 100%); messages are taken again");
        assertThat(server.getPagingManager().isDiskFull()).isFalse();
    }

    @Test
    void anInVmSenderIsNotHeldByFlowControlWhileTheDiskIsFull() throws Exception {
        monitor.limit(1);

        try (ServerLocator locator = InVmLocator.create(URL, Duration.ofSeconds(2));
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(true, true)) {
            session.createQueue(QueueConfiguration.of("q").setRoutingType(RoutingType.ANYCAST).setDurable(true));
            ClientProducer producer = session.createProducer("q");
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 100; i++) {
                    ClientMessage m = session.createMessage(true);
                    m.getBodyBuffer().writeBytes(new byte[1024]);
                    producer.send(m);
                }
            }, "Artemis withholds producer credits while the disk is full; the in-VM locator must not wait for them");
        }
    }
}
