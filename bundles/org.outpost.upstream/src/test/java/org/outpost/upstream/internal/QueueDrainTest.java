/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.routing.api.MessageHeaders;

/** The drain against a real in-VM broker (not persistent) and a cloud the test plays. */
class QueueDrainTest {

    private static final String IN_VM = "vm://0";

    /** The broker service as the drain uses it: in-VM sessions. */
    static final class InVmBroker implements Broker {
        @Override
        public ServerLocator createLocator() {
            try {
                return ActiveMQClient.createServerLocator(IN_VM);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<String> acceptorUrl(String protocol) {
            return Optional.empty();
        }

        @Override
        public Optional<QueueStats> queueStats(String queue) {
            return Optional.empty();
        }

        @Override
        public long queueBytes(String queue) {
            return 0;
        }

        @Override
        public Optional<QueueDepth> queueDepth(String queue) {
            return Optional.empty();
        }

        @Override
        public long dropOldest(String queue, long bytes) {
            return 0;
        }

        @Override
        public boolean hasSubscribers(String address) {
            return false;
        }
    }

    /** One connection of the cloud: records what is published, and acknowledges it at once or when told to. */
    private static final class FakePublisher implements QueueDrain.Publisher {
        record Published(String topic, String body, IMqttActionListener done) {
        }

        final List<Published> published = new CopyOnWriteArrayList<>();
        volatile boolean connected = true;
        volatile boolean acknowledgeAtOnce;
        volatile boolean failNext;

        FakePublisher(boolean acknowledgeAtOnce) {
            this.acknowledgeAtOnce = acknowledgeAtOnce;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public void publish(String topic, MqttMessage message, IMqttActionListener done) throws MqttException {
            if (failNext) {
                failNext = false;
                done.onFailure(null, new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED));
                return;
            }
            published.add(new Published(topic, new String(message.getPayload(), StandardCharsets.UTF_8), done));
            if (acknowledgeAtOnce) {
                done.onSuccess(null);
            }
        }

        List<String> bodies() {
            return published.stream().map(Published::body).toList();
        }

        void acknowledge(int index) {
            published.get(index).done().onSuccess(null);
        }
    }

    /** The cloud as the link would present it; the test connects and disconnects it. */
    private static final class FakeCloud implements QueueDrain.Cloud {
        volatile FakePublisher publisher;
        final List<String> errors = new CopyOnWriteArrayList<>();
        final UpstreamSettings settings = new UpstreamSettings("tcp://127.0.0.1:1883", "", "", "",
                "devices/{deviceId}/modules/{moduleId}/messages/events/", 1, 30, 1000, 60000, 3, "", "hub", 1, "");

        @Override
        public QueueDrain.Publisher publisher() {
            return publisher;
        }

        @Override
        public synchronized void awaitConnected(long ms) throws InterruptedException {
            if (publisher == null || !publisher.isConnected()) {
                wait(ms);
            }
        }

        @Override
        public void failed(String error) {
            errors.add(error);
        }

        @Override
        public UpstreamSettings settings() {
            return settings;
        }

        synchronized void connect(FakePublisher p) {
            publisher = p;
            notifyAll();
        }
    }

    private static final class NoMetrics implements Metrics {
        @Override
        public Counter counter(String name, String... labels) {
            return n -> { };
        }

        @Override
        public Timer timer(String name, String... labels) {
            return nanos -> { };
        }

        @Override
        public AutoCloseable measured(String name, String type,
                java.util.function.Supplier<java.util.Map<java.util.Map<String, String>, Double>> values) {
            return () -> { };
        }

        @Override
        public List<MetricSample> samples() {
            return List.of();
        }
    }

    private EmbeddedActiveMQ server;
    private ServerLocator locator;
    private ClientSessionFactory factory;
    private ClientSession session;
    private final FakeCloud cloud = new FakeCloud();
    private QueueDrain drain;

    @BeforeEach
    void startBroker() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(false);
        c.setSecurityEnabled(false);
        c.addAcceptorConfiguration("in-vm", IN_VM);
        server = new EmbeddedActiveMQ().setConfiguration(c).start();
        locator = ActiveMQClient.createServerLocator(IN_VM);
        factory = locator.createSessionFactory();
        session = factory.createSession();
        session.createQueue(QueueConfiguration.of(QueueDrain.QUEUE).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        drain = new QueueDrain(new InVmBroker(), cloud, () -> "gw1", new NoMetrics());
    }

    @AfterEach
    void stopBroker() throws Exception {
        drain.close();
        session.close();
        factory.close();
        locator.close();
        server.stop();
    }

    private void enqueue(String... bodies) throws Exception {
        enqueueFrom("sensor", bodies);
    }

    private void enqueueMessage(Message m) throws Exception {
        try (ClientProducer producer = session.createProducer(QueueDrain.QUEUE)) {
            ClientMessage cm = session.createMessage(ClientMessage.BYTES_TYPE, true);
            cm.getBodyBuffer().writeBytes(m.body());
            MessageHeaders.of(m).forEach(cm::putStringProperty);
            producer.send(cm);
        }
    }

    private void enqueueFrom(String module, String... bodies) throws Exception {
        try (ClientProducer producer = session.createProducer(QueueDrain.QUEUE)) {
            for (String body : bodies) {
                Message m = Message.builder().body(body).connectionModuleId(module).outputName("out").build();
                ClientMessage cm = session.createMessage(ClientMessage.BYTES_TYPE, true);
                cm.getBodyBuffer().writeBytes(m.body());
                MessageHeaders.of(m).forEach(cm::putStringProperty);
                producer.send(cm);
            }
        }
    }

    private long queued() throws Exception {
        return session.queueQuery(SimpleString.of(QueueDrain.QUEUE)).getMessageCount();
    }

    @Test
    void messagesArePublishedInQueueOrderAndLeaveTheQueueWhenTheCloudAcknowledgesThem() throws Exception {
        enqueue("m1", "m2", "m3", "m4", "m5");
        FakePublisher p = new FakePublisher(true);
        cloud.connect(p);

        drain.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 5);
        assertThat(p.bodies()).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(p.published.get(0).topic()).startsWith("devices/gw1/modules/sensor/messages/events/");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
    }

    @Test
    void eachMessageIsPublishedUnderItsSenderALeafAChildGatewaysModuleOrThisGatewaysModule() throws Exception {
        enqueueMessage(Message.builder().body("leaf").connectionDeviceId("leaf-1").build());
        enqueueMessage(Message.builder().body("child").connectionDeviceId("gw-b").connectionModuleId("filter")
                .build());
        enqueueMessage(Message.builder().body("own").connectionDeviceId("gw1").connectionModuleId("sensor").build());
        FakePublisher p = new FakePublisher(true);
        cloud.connect(p);

        drain.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 3);
        assertThat(p.published).extracting(FakePublisher.Published::topic).containsExactly(
                "devices/leaf-1/messages/events/", "devices/gw-b/modules/filter/messages/events/",
                "devices/gw1/modules/sensor/messages/events/");
    }

    @Test
    void aMessageOfADeviceNoLongerBelowTheGatewayIsDroppedAndDoesNotHoldUpTheQueue() throws Exception {
        drain.close();
        drain = new QueueDrain(new InVmBroker(), cloud, () -> "gw1", device -> device.equals("leaf-still-here"),
                new NoMetrics());
        enqueueMessage(Message.builder().body("gone").connectionDeviceId("leaf-deleted").build());
        enqueueMessage(Message.builder().body("here").connectionDeviceId("leaf-still-here").build());
        enqueue("own");
        FakePublisher p = new FakePublisher(true);
        cloud.connect(p);

        drain.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 2);
        assertThat(p.bodies()).containsExactly("here", "own");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
    }

    @Test
    void aMessageNoBrokerWouldTakeIsDroppedAndDoesNotHoldUpTheQueue() throws Exception {
        enqueueFrom("bad+module", "m1");
        enqueue("m2");
        FakePublisher p = new FakePublisher(true);
        cloud.connect(p);

        drain.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 1);
        assertThat(p.bodies()).containsExactly("m2");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
    }

    @Test
    void nothingIsPublishedWhileTheCloudIsAway() throws Exception {
        enqueue("m1");
        drain.start();

        await().atMost(Duration.ofSeconds(2)).during(Duration.ofMillis(500)).until(() -> queued() == 1);

        FakePublisher p = new FakePublisher(true);
        cloud.connect(p);
        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 1);
        assertThat(p.bodies()).containsExactly("m1");
    }

    @Test
    void atMostMaxInflightMessagesWaitForTheCloudsAcknowledgement() throws Exception {
        enqueue("m1", "m2", "m3", "m4", "m5");
        FakePublisher p = new FakePublisher(false);
        cloud.connect(p);
        drain.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> p.published.size() == 3);
        await().atMost(Duration.ofSeconds(2)).during(Duration.ofMillis(500)).until(() -> p.published.size() == 3);

        p.acknowledge(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.published.size() == 4);
        assertThat(p.bodies()).containsExactly("m1", "m2", "m3", "m4");
        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 1);
    }

    @Test
    void whenTheConnectionBreaksUnacknowledgedMessagesArePublishedAgainInOrder() throws Exception {
        enqueue("m1", "m2", "m3", "m4", "m5");
        FakePublisher first = new FakePublisher(false);
        cloud.connect(first);
        drain.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.published.size() == 3);
        first.acknowledge(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 1);

        first.connected = false;
        FakePublisher second = new FakePublisher(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 4);
        cloud.connect(second);

        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 5);
        assertThat(second.bodies()).containsExactly("m2", "m3", "m4", "m5");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
    }

    @Test
    void aFailedPublishIsReportedAndTheMessageIsPublishedAgainInOrder() throws Exception {
        enqueue("m1", "m2", "m3");
        FakePublisher p = new FakePublisher(true);
        p.failNext = true;
        cloud.connect(p);

        drain.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 3);
        assertThat(p.bodies()).containsExactly("m1", "m2", "m3");
        assertThat(cloud.errors).anySatisfy(e -> assertThat(e).startsWith("publish failed: "));
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
    }
}
