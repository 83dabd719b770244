/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.routing.api.MessageHeaders;

/**
 * The drain with bandwidth control, end to end over real sockets: the real broker queue (in-VM Artemis), the real
 * upstream connection (Paho) and the real IoT Hub server the hub and parent gateways run, whose telemetry handler
 * unpacks batches and gzip before its store (recorded here) sees them.
 */
class BandwidthDrainTest {

    private static final String IN_VM = "vm://0";

    /** A clock the test sets. */
    private static final class SetClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-05T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** What the IoT Hub server stored: each original message's topic and body. */
    private final List<String> stored = new CopyOnWriteArrayList<>();
    /** What came over the wire: publishes (a batch is one). */
    private final List<String> wire = new CopyOnWriteArrayList<>();
    private final SetClock clock = new SetClock();
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;
    private EmbeddedActiveMQ artemis;
    private ServerLocator locator;
    private ClientSessionFactory factory;
    private ClientSession session;
    private IotHubServer server;
    private UpstreamLink link;
    private QueueDrain drain;

    @BeforeEach
    void start() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(false);
        c.setSecurityEnabled(false);
        c.addAcceptorConfiguration("in-vm", IN_VM);
        artemis = new EmbeddedActiveMQ().setConfiguration(c).start();
        locator = ActiveMQClient.createServerLocator(IN_VM);
        factory = locator.createSessionFactory();
        session = factory.createSession();
        session.createQueue(QueueConfiguration.of(QueueDrain.QUEUE).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        ServerSettings settings = new ServerSettings("test-hub", "127.0.0.1", 0, "localhost", -1,
                dir.resolve("no-tls.p12"), "unused",
                256 * 1024, 10, "etc/org.outpost.hub.iothub.cfg");
        server = IotHubServer.builder(settings).authenticator((identity, credentials) ->
                new Authentication.Accepted(identity)).acl(new TopicAcl() {
                    @Override
                    public boolean maySubscribe(org.outpost.iothub.spi.Identity identity, String filter) {
                        return true;
                    }

                    @Override
                    public boolean maySend(org.outpost.iothub.spi.Identity identity, TelemetryTopic topic) {
                        wire.add(topic.format());
                        return true;
                    }
                }).telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, TelemetryTopic t, byte[] payload) {
                        stored.add(topic + " " + new String(payload, java.nio.charset.StandardCharsets.UTF_8));
                    }

                    @Override
                    public void close() {
                    }
                }).twins(new org.outpost.iothub.spi.TwinService() {
                    @Override
                    public org.outpost.protocol.TwinDocument twin(org.outpost.iothub.spi.Identity identity) {
                        return org.outpost.protocol.TwinDocument.empty();
                    }

                    @Override
                    public org.outpost.protocol.TwinDocument patchReported(org.outpost.iothub.spi.Identity identity,
                            String patchJson) {
                        return org.outpost.protocol.TwinDocument.empty();
                    }

                    @Override
                    public org.outpost.iothub.spi.Subscription onDesiredPatch(
                            org.outpost.iothub.spi.DesiredPatchListener listener) {
                        return () -> { };
                    }
                }).build();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (drain != null) {
            drain.close();
        }
        if (link != null) {
            link.stop();
        }
        if (server != null) {
            server.close();
        }
        session.close();
        factory.close();
        locator.close();
        artemis.stop();
    }

    private void startDrain(Map<String, Object> bandwidth) throws Exception {
        Map<String, Object> cfg = new HashMap<>(bandwidth);
        cfg.put("url", "tcp://127.0.0.1:" + server.port());
        cfg.put("username", "localhost/gw1/?api-version=2021-04-12");
        cfg.put("password", "test");
        UpstreamSettings s = UpstreamSettings.from(UpstreamSettingsTest.config(cfg), cfg);
        link = new UpstreamLink(s, () -> "gw1", (topic, payload) -> { });
        link.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> "connected".equals(link.state()));
        drain = new QueueDrain(new QueueDrainTest.InVmBroker(), link, () -> "gw1", d -> true, new TestMetrics(),
                clock);
        drain.start();
    }

    private void enqueue(Message m, String route) throws Exception {
        try (ClientProducer producer = session.createProducer(QueueDrain.QUEUE)) {
            ClientMessage cm = session.createMessage(ClientMessage.BYTES_TYPE, true);
            cm.getBodyBuffer().writeBytes(m.body());
            MessageHeaders.of(m).forEach(cm::putStringProperty);
            if (route != null) {
                cm.putStringProperty(MessageHeaders.ROUTE, route);
            }
            producer.send(cm);
        }
    }

    private List<Message> readings(int n) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message.Builder b = Message.builder().body("{\"reading\":" + i + ",\"temperature\":21." + i + "}")
                    .messageId("m-" + i).contentType("application/json").property("seq", Integer.toString(i))
                    .creationTimeUtc(Instant.parse("2026-12-05T06:00:00Z").plusSeconds(i));
            out.add(switch (i % 3) {
                case 0 -> b.connectionModuleId("sensor").outputName("temperature").build();
                case 1 -> b.connectionModuleId("filter").outputName("alerts").correlationId("c-" + i).build();
                default -> b.connectionDeviceId("leaf-1").property("odd key&=", "a/b c").build();
            });
        }
        return out;
    }

    /** @return what the hub would have stored had each message been published on its own */
    private static String unbatched(Message m) {
        return TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, "gw1", m) + " "
                + new String(m.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private long queued() throws Exception {
        return session.queueQuery(SimpleString.of(QueueDrain.QUEUE)).getMessageCount();
    }

    @Test
    void batchedAndCompressedTheHubStoresExactlyWhatItWouldHaveStoredUnbatched() throws Exception {
        List<Message> messages = readings(30);
        for (Message m : messages) {
            enqueue(m, null);
        }
        startDrain(Map.of("batch.enabled", "true", "batch.max.messages", "10", "batch.linger.ms", "50",
                "compression", "gzip", "compression.min.bytes", "0"));

        await().atMost(Duration.ofSeconds(20)).until(() -> stored.size() == 30 && queued() == 0);

        assertThat(stored).containsExactlyInAnyOrderElementsOf(messages.stream().map(
                BandwidthDrainTest::unbatched).toList());
        // Each sender's messages in their order.
        for (String sender : List.of("modules/sensor/", "modules/filter/", "devices/leaf-1/")) {
            assertThat(stored.stream().filter(s -> s.contains(sender)).toList()).isEqualTo(messages.stream()
                    .map(BandwidthDrainTest::unbatched).filter(s -> s.contains(sender)).toList());
        }
        // Batches of up to 10 (a sender's last message may miss its batch's linger and go on its own).
        assertThat(wire.size()).isLessThanOrEqualTo(10);
        assertThat(wire.stream().filter(t -> t.contains("outpost-batch=")).toList()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(t -> assertThat(t).contains("%24.ce=gzip").contains("outpost-encoding=gzip"));
        BandwidthCounters c = drain.bandwidth();
        assertThat(c.messages()).isEqualTo(30);
        assertThat(c.publishes()).isEqualTo(wire.size());
        assertThat(c.bytesOnWire()).isLessThan(c.bytesBefore());
        await().atMost(Duration.ofSeconds(10)).until(() -> drain.sent() == 30);
    }

    @Test
    void theRateLimitSpreadsTheBacklogOutAndKeepsItInTheStoreMeanwhile() throws Exception {
        for (Message m : readings(25)) {
            enqueue(m.toBuilder().connectionDeviceId(null).connectionModuleId("sensor").build(), null);
        }
        startDrain(Map.of("rate.messages.per.second", "20", "rate.burst.messages", "5"));

        // 5 at once, then 20 more at 20 a second: a second at least.
        await().atLeast(Duration.ofMillis(800)).atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 25);
        assertThat(stored).extracting(s -> s.replaceAll(".*[?&/]seq=(\\d+).*", "$1"))
                .containsExactly(java.util.stream.IntStream.range(0, 25).mapToObj(Integer::toString)
                        .toArray(String[]::new));
        assertThat(drain.bandwidth().rateWaitMs()).isGreaterThanOrEqualTo(700);
    }

    @Test
    void aClosedWindowKeepsTheBacklogInTheStoreAndWhenItOpensItDrainsInOrder() throws Exception {
        List<Message> messages = new ArrayList<>();
        for (Message m : readings(8)) {
            messages.add(m.toBuilder().connectionDeviceId(null).connectionModuleId("sensor").build());
        }
        for (Message m : messages) {
            enqueue(m, null);
        }
        startDrain(Map.of("windows", "00:00-01:00", "windows.time.zone", "UTC"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "closed".equals(drain.bandwidth().window()));
        assertThat(drain.bandwidth().nextOpening()).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> stored.isEmpty()
                && queued() == 8);

        clock.now = Instant.parse("2026-12-06T00:30:00Z");

        await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 8 && queued() == 0);
        assertThat(stored).containsExactlyElementsOf(messages.stream().map(BandwidthDrainTest::unbatched).toList());
        assertThat(drain.bandwidth().window()).isEqualTo("open");
    }
}
