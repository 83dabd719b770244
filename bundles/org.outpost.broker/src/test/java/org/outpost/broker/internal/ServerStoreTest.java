/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.broker.api.DirectStore;

/** A real persistent Artemis in a temporary directory, stopped and started again to read what survived. */
class ServerStoreTest {

    private static final String URL = "vm://8";

    @TempDir
    Path data;
    private volatile ActiveMQServer server;
    private final ServerStore store = new ServerStore(() -> server);

    private ActiveMQServer start() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setBindingsDirectory(data.resolve("bindings").toString());
        c.setJournalDirectory(data.resolve("journal").toString());
        c.setPagingDirectory(data.resolve("paging").toString());
        c.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(data.toString());
        c.addAcceptorConfiguration("in-vm", URL);
        // Small pages: the later messages of the test are paged, as a long backlog is.
        c.addAddressSetting("#", new AddressSettings().setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(256 * 1024).setMaxDeliveryAttempts(-1));
        ActiveMQServer s = ActiveMQServers.newActiveMQServer(c, true);
        s.start();
        server = s;
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void storesEveryCopyDurablyInCallOrderWithItsPropertiesPriorityAndExpiration() throws Exception {
        start();
        int n = 2000;
        List<Exception> answers = new CopyOnWriteArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            byte[] body = ("{\"seq\":" + i + ",\"pad\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8);
            store.store(3, body, Map.of("outpost_module", "m", "seq", Integer.toString(i)), now,
                    List.of(new DirectStore.Copy("q.a", 4, now + 3_600_000), new DirectStore.Copy("q.b", 9, 0)),
                    e -> answers.add(e == null ? new Exception("ok") : e));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == n);
        assertThat(answers).allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("ok"));

        // Acknowledged means stored: all of it is there after a restart.
        server.stop();
        start();
        List<ClientMessage> a = drain("q.a", n);
        List<ClientMessage> b = drain("q.b", n);
        for (int i = 0; i < n; i++) {
            assertThat(a.get(i).getStringProperty("seq")).isEqualTo(Integer.toString(i));
            assertThat(b.get(i).getStringProperty("seq")).isEqualTo(Integer.toString(i));
        }
        ClientMessage first = a.get(0);
        assertThat(first.getStringProperty("outpost_module")).isEqualTo("m");
        assertThat(first.getPriority()).isEqualTo((byte) 4);
        assertThat(first.getExpiration()).isEqualTo(now + 3_600_000);
        assertThat(first.getTimestamp()).isEqualTo(now);
        assertThat(first.isDurable()).isTrue();
        assertThat(b.get(0).getPriority()).isEqualTo((byte) 9);
        assertThat(b.get(0).getExpiration()).isZero();
    }

    @Test
    void refusesWhileTheBrokerIsStoppedAndWhenTheBodyIsTooLarge() throws Exception {
        AtomicReference<Exception> stopped = new AtomicReference<>();
        store.store(0, new byte[1], Map.of(), 0, List.of(new DirectStore.Copy("q", 0, 0)), stopped::set);
        assertThat(stopped.get()).hasMessageContaining("broker is not running");

        start();
        AtomicReference<Exception> large = new AtomicReference<>();
        store.store(0, new byte[DirectStore.MAX_BODY_BYTES + 1], Map.of(), 0, List.of(new DirectStore.Copy("q", 0, 0)),
                large::set);
        assertThat(large.get()).hasMessageContaining("client session");
    }

    @Test
    void makesAQueueAgainThatWasDeletedAfterItsFirstMessage() throws Exception {
        start();
        List<Exception> answers = new CopyOnWriteArrayList<>();
        store.store(0, "1".getBytes(StandardCharsets.UTF_8), Map.of(), 0, List.of(new DirectStore.Copy("q.c", 0, 0)),
                e -> answers.add(e == null ? new Exception("ok") : e));
        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 1);
        server.destroyQueue(org.apache.activemq.artemis.api.core.SimpleString.of("q.c"), null, false, true);

        store.store(0, "2".getBytes(StandardCharsets.UTF_8), Map.of(), 0, List.of(new DirectStore.Copy("q.c", 0, 0)),
                e -> answers.add(e == null ? new Exception("ok") : e));
        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
        assertThat(answers).allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("ok"));
        assertThat(drain("q.c", 1)).hasSize(1);
    }

    private List<ClientMessage> drain(String queue, int n) throws Exception {
        List<ClientMessage> out = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
                ClientSessionFactory f = locator.createSessionFactory();
                ClientSession session = f.createSession(false, true, true);
                ClientConsumer consumer = session.createConsumer(queue)) {
            session.start();
            for (int i = 0; i < n; i++) {
                ClientMessage m = consumer.receive(10_000);
                assertThat(m).as("message %d of %s", i, queue).isNotNull();
                m.acknowledge();
                out.add(m);
            }
            assertThat(consumer.receiveImmediate()).isNull();
        }
        return out;
    }
}
