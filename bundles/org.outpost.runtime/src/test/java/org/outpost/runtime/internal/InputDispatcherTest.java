/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.broker.api.Broker;

/** The input delivery against a real (in-VM) Artemis: messages in flight, acknowledgements, redelivery. */
class InputDispatcherTest {

    private static final String URL = "vm://47";
    private static final String QUEUE = Addresses.input("enricher", "in");

    private final ModuleCounters counters = new ModuleCounters();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ModuleAccounting accounting = new ModuleAccounting(null, metrics,
            ModuleAccountingTest.config(false), false);
    private ActiveMQServer server;
    private InputDispatcher dispatcher;
    private Runnable detach = () -> { };

    @BeforeEach
    void start() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(false);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.addAcceptorConfiguration("in-vm", URL);
        server = ActiveMQServers.newActiveMQServer(c, false);
        server.start();
        Broker broker = (Broker) java.lang.reflect.Proxy.newProxyInstance(Broker.class.getClassLoader(),
                new Class<?>[] {Broker.class}, (p, m, args) -> {
                    if (m.getName().equals("createLocator")) {
                        return ActiveMQClient.createServerLocator(URL);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        dispatcher = new InputDispatcher(broker, counters, metrics, accounting);
    }

    @AfterEach
    void stop() throws Exception {
        detach.run();
        dispatcher.deactivate();
        accounting.deactivate();
        server.stop();
    }

    private void send(int count) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession()) {
            session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            try (ClientProducer producer = session.createProducer(QUEUE)) {
                for (int i = 0; i < count; i++) {
                    ClientMessage m = session.createMessage(true);
                    m.getBodyBuffer().writeBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                    producer.send(m);
                }
            }
        }
    }

    private long queued() {
        return server.locateQueue(SimpleString.of(QUEUE)).getMessageCount();
    }

    @Test
    void anAsyncHandlerHasUpToItsLimitInFlightAndEachIsAcknowledgedWhenDone() throws Exception {
        send(10);
        List<String> handed = new CopyOnWriteArrayList<>();
        Map<String, CompletableFuture<Void>> stages = new ConcurrentHashMap<>();
        detach = dispatcher.attach("enricher", "in", message -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            stages.put(message.bodyAsString(), f);
            handed.add(message.bodyAsString());
            return f;
        }, 3);

        await().atMost(Duration.ofSeconds(10)).until(() -> handed.size() == 3);
        // none is done: no fourth is handed over, none is acknowledged
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> handed.size() == 3);
        assertThat(counters.receivedBy("enricher")).isZero();
        assertThat(queued()).isEqualTo(10);

        stages.get("1").complete(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> handed.size() == 4 && counters.receivedBy("enricher") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 9);

        // the rest, each completed as it is handed over
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            stages.values().forEach(f -> f.complete(null));
            return counters.receivedBy("enricher") == 10;
        });
        assertThat(handed).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
    }

    @Test
    void aMessageThatFailsIsDeliveredAgainOnceThoseInFlightAreSettledAndNoneIsLost() throws Exception {
        send(10);
        List<String> handed = new CopyOnWriteArrayList<>();
        detach = dispatcher.attach("enricher", "in", message -> {
            String body = message.bodyAsString();
            boolean first = !handed.contains(body);
            handed.add(body);
            return body.equals("3") && first
                    ? CompletableFuture.supplyAsync(() -> {
                        throw new IllegalStateException("device busy");
                    })
                    : CompletableFuture.runAsync(() -> { });
        }, 5);

        await().atMost(Duration.ofSeconds(15)).until(() -> counters.receivedBy("enricher") == 10 && queued() == 0);
        assertThat(handed).filteredOn("3"::equals).hasSize(2);
        assertThat(handed.stream().distinct().sorted().toList())
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        // handed over in order; what came back is the refused message (and what was in flight and not done with it)
        assertThat(handed.subList(0, 4)).containsExactly("0", "1", "2", "3");
        assertThat(handed.lastIndexOf("3")).isGreaterThan(handed.indexOf("3"));
    }
}
