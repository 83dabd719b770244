/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The naive baseline, in this JVM: a Paho publisher (QoS 1) into an Artemis broker with the gateway's journal
 * settings (NIO, synced), and a minimal forwarder that takes each message from the broker, publishes it to the cloud
 * (QoS 1, pipelined like the gateway's upstream) and acknowledges it to the broker on PUBACK. No routing, no OSGi, no
 * Camel: what the plumbing alone costs.
 * <p>
 * Closed loop: at most {@value #IN_FLIGHT} messages are between the publisher and the cloud at once (a permit is taken
 * before a publish and given back when the forwarder has the cloud's PUBACK for a message), so at "max" the publisher
 * sends only as fast as the whole pipeline delivers, and the rate it reports is one it sustains with bounded latency
 * (before, its permits came back at the broker's PUBACK, and at max a backlog of seconds built up in the broker).
 */
final class Baseline implements AutoCloseable {

    private static final String QUEUE = "bench.forward";
    /** Messages between the publisher and the cloud at most: as many as the gateway's load generator has in flight. */
    static final int IN_FLIGHT = 2000;

    private final ActiveMQServer server;
    private final MqttAsyncClient publisher;
    private final Thread forwarder;
    private final MqttAsyncClient cloud;
    private volatile boolean running = true;
    private volatile Thread sender;
    /** Permits of the current sending run: taken by the publisher, given back at the cloud's PUBACK. */
    private volatile Semaphore endToEnd = new Semaphore(IN_FLIGHT);

    Baseline(Path dir, int mqttPort, int cloudPort) throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setJournalType(JournalType.NIO);
        c.setJournalDatasync(true);
        c.setBindingsDirectory(dir.resolve("bindings").toString());
        c.setJournalDirectory(dir.resolve("journal").toString());
        c.setPagingDirectory(dir.resolve("paging").toString());
        c.setLargeMessagesDirectory(dir.resolve("large").toString());
        c.addAcceptorConfiguration("in-vm", "vm://1");
        c.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT");
        server = ActiveMQServers.newActiveMQServer(c, false);
        server.start();
        // MQTT topic bench/in is address bench.in; a durable queue on it keeps what the forwarder has not taken.
        server.createQueue(QueueConfiguration.of(QUEUE).setAddress("bench.in").setRoutingType(RoutingType.MULTICAST)
                .setDurable(true));
        cloud = connect("tcp://127.0.0.1:" + cloudPort, "baseline-forwarder");
        publisher = connect("tcp://127.0.0.1:" + mqttPort, "baseline-publisher");
        forwarder = new Thread(this::forward, "baseline-forwarder");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    private static MqttAsyncClient connect(String url, String id) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(url, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(4000);
        client.connect(o).waitForCompletion(10_000);
        return client;
    }

    /** Starts publishing {@code rate} messages a second (0: as fast as acknowledged) of {@code size} bytes. */
    void startSending(int rate, int size) {
        Semaphore inflight = new Semaphore(IN_FLIGHT);
        endToEnd = inflight;
        sender = new Thread(() -> Pacer.run(rate, inflight, seq -> {
            MqttMessage m = new MqttMessage(Pacer.body(seq, size));
            m.setQos(1);
            publisher.publish("bench/in", m, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // Stored by the broker: the permit comes back when the forwarder has the cloud's PUBACK.
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    inflight.release();
                }
            });
        }), "baseline-publisher");
        sender.start();
    }

    void stopSending() throws InterruptedException {
        Thread s = sender;
        if (s != null) {
            s.interrupt();
            s.join(5000);
        }
    }

    private void forward() {
        try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://1");
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(false, true, true);
                ClientConsumer consumer = session.createConsumer(QUEUE)) {
            session.start();
            Semaphore inflight = new Semaphore(256);
            Queue<ClientMessage> acked = new ConcurrentLinkedQueue<>();
            while (running) {
                for (ClientMessage m = acked.poll(); m != null; m = acked.poll()) {
                    m.individualAcknowledge();
                }
                if (!inflight.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ClientMessage m = consumer.receive(50);
                if (m == null) {
                    inflight.release();
                    continue;
                }
                byte[] body = new byte[m.getBodyBuffer().readableBytes()];
                m.getBodyBuffer().readBytes(body);
                MqttMessage out = new MqttMessage(body);
                out.setQos(1);
                cloud.publish("bench/out", out, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.add(m);
                        inflight.release();
                        endToEnd.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        inflight.release();
                        endToEnd.release();
                    }
                });
            }
        } catch (Exception e) {
            if (running) {
                System.err.println("baseline forwarder: " + e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        stopSending();
        forwarder.join(5000);
        publisher.disconnect().waitForCompletion(5000);
        cloud.disconnect().waitForCompletion(5000);
        server.stop();
    }
}
