/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.routing.api.MessageHeaders;

/** The metrics upload against a real in-VM broker: what it stores in the upstream queue, and how. */
class MetricsUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Metrics whose samples the test sets. */
    private static final class Samples implements Metrics {
        volatile List<MetricSample> samples = List.of();

        @Override
        public Counter counter(String name, String... labels) {
            return n -> { };
        }

        @Override
        public Timer timer(String name, String... labels) {
            return n -> { };
        }

        @Override
        public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
            return () -> { };
        }

        @Override
        public List<MetricSample> samples() {
            return samples;
        }
    }

    private EmbeddedActiveMQ server;
    private ServerLocator locator;
    private ClientSession session;
    private final Samples metrics = new Samples();
    private MetricsUpload upload;

    @BeforeEach
    void startBroker() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(false);
        c.setSecurityEnabled(false);
        c.addAcceptorConfiguration("in-vm", "vm://0");
        server = new EmbeddedActiveMQ().setConfiguration(c).start();
        locator = ActiveMQClient.createServerLocator("vm://0");
        ClientSessionFactory factory = locator.createSessionFactory();
        session = factory.createSession(true, true);
        session.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (upload != null) {
            upload.deactivate();
        }
        session.close();
        locator.close();
        server.stop();
    }

    private MetricsUpload upload(Map<String, Object> raw) {
        upload = new MetricsUpload(new QueueDrainTest.InVmBroker(), metrics, config(raw), raw);
        return upload;
    }

    private static MetricSample counter(String name, double v, String... labels) {
        return new MetricSample(name, labels(labels), "counter", v, 0, Map.of());
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private List<ClientMessage> drainQueue() throws Exception {
        List<ClientMessage> out = new ArrayList<>();
        if (!session.queueQuery(SimpleString.of(MetricsUpload.QUEUE)).isExists()) {
            return out;
        }
        try (ClientConsumer consumer = session.createConsumer(SimpleString.of(MetricsUpload.QUEUE))) {
            ClientMessage m;
            while ((m = consumer.receive(200)) != null) {
                m.acknowledge();
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void theSelectedMetricsGoToTheUpstreamQueueAsOneMetricsCollectorMessageAtLowPriorityWithATimeToLive()
            throws Exception {
        metrics.samples = List.of(
                counter("edgehub_messages_sent_total", 42, "from", "sensor", "to", "upstream"),
                new MetricSample("edgehub_queue_length", labels("endpoint", "$upstream"), "gauge", 7, 0, Map.of()),
                new MetricSample("edgehub_message_send_duration_seconds", labels("from", "sensor"), "summary", 3,
                        0.25, Map.of("0.5", 0.05, "0.99", 0.2)),
                new MetricSample("edgeAgent_used_cpu_percent", labels("module_name", "filter"), "gauge",
                        Double.NaN, 0, Map.of()),
                counter("jvm_threads_started_total", 99));
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        upload(Map.of("metrics", "edgehub_*, edgeAgent_*", "time.to.live.seconds", "3600"));

        assertThat(upload.upload(now)).isEqualTo(1);

        List<ClientMessage> stored = drainQueue();
        assertThat(stored).hasSize(1);
        ClientMessage cm = stored.get(0);
        assertThat(cm.getPriority()).as("IoT Edge priority 9, the broker's 0").isEqualTo((byte) 0);
        assertThat(cm.getExpiration() - cm.getTimestamp()).isCloseTo(3_600_000L, within(5_000L));
        byte[] body = new byte[cm.getBodySize()];
        cm.getBodyBuffer().readBytes(body);
        Message m = MessageHeaders.toMessage(body, n -> cm.getStringProperty(n));
        assertThat(m.connectionModuleId()).isEqualTo("metricscollector");
        assertThat(m.outputName()).isEqualTo("metricOutput");
        assertThat(m.properties()).containsEntry("id", "origin-iotedge-metrics-collector");
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, "gw-1", m))
                .startsWith("devices/gw-1/modules/metricscollector/messages/events/").contains("id=origin-iotedge");

        JsonNode array = JSON.readTree(body);
        List<String> names = new ArrayList<>();
        array.forEach(e -> {
            names.add(e.get("Name").asText() + e.get("Labels"));
            assertThat(e.get("TimeGeneratedUtc").asText()).isEqualTo("2026-12-05T10:00:00Z");
        });
        // The NaN is left out (JSON has none), the unselected JVM metric too; the summary as a scrape shows it.
        assertThat(names).containsExactly(
                "edgehub_messages_sent_total{\"from\":\"sensor\",\"to\":\"upstream\"}",
                "edgehub_queue_length{\"endpoint\":\"$upstream\"}",
                "edgehub_message_send_duration_seconds_count{\"from\":\"sensor\"}",
                "edgehub_message_send_duration_seconds_sum{\"from\":\"sensor\"}",
                "edgehub_message_send_duration_seconds{\"from\":\"sensor\",\"quantile\":\"0.5\"}",
                "edgehub_message_send_duration_seconds{\"from\":\"sensor\",\"quantile\":\"0.99\"}");
        assertThat(array.get(0).get("Value").asDouble()).isEqualTo(42.0);
    }

    @Test
    void metricsLargerThanOneMessageAreSplitIntoSeveralEachAValidArray() throws Exception {
        List<MetricSample> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(counter("edgehub_messages_received_total", i, "from", "module-" + i));
        }
        metrics.samples = many;
        upload(Map.of("max.message.bytes", "2048"));

        int messages = upload.upload(Instant.now());

        List<ClientMessage> stored = drainQueue();
        assertThat(stored).hasSize(messages).hasSizeGreaterThan(1);
        int values = 0;
        for (ClientMessage cm : stored) {
            assertThat(cm.getBodySize()).isLessThanOrEqualTo(2048);
            byte[] body = new byte[cm.getBodySize()];
            cm.getBodyBuffer().readBytes(body);
            values += JSON.readTree(body).size();
        }
        assertThat(values).isEqualTo(100);
    }

    @Test
    void uploadsEveryIntervalOnItsOwn() throws Exception {
        metrics.samples = List.of(counter("edgehub_messages_received_total", 1, "from", "sensor"));
        upload(Map.of("interval.seconds", "1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> drainQueue().size() >= 1);
    }

    @Test
    void nothingIsUploadedWhenDisabled() throws Exception {
        metrics.samples = List.of(counter("edgehub_messages_received_total", 1, "from", "sensor"));
        upload(Map.of("enabled", "false", "interval.seconds", "1"));

        assertThat(server.getActiveMQServer().locateQueue(SimpleString.of(MetricsUpload.QUEUE))).isNull();
    }

    @Test
    void defaultsAreValid() throws Exception {
        MetricsUploadSettings s = MetricsUploadSettings.from(ConfigValues.defaults(MetricsUpload.Config.class),
                Map.of());

        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.priority()).isEqualTo(9);
        assertThat(s.selects("edgehub_queue_length")).isTrue();
        assertThat(s.selects("queue_length")).isTrue();
        assertThat(s.selects("jvm_memory_used_bytes")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "interval.seconds|0|configuration org.outpost.metrics.upload: interval.seconds=0 is not valid: seconds between uploads, 1 to 86400",
        "priority|10|configuration org.outpost.metrics.upload: priority=10 is not valid: a route priority 0 (highest) to 9",
        "module.id|a.b|configuration org.outpost.metrics.upload: module.id=a.b is not valid: a module id: 1-64 letters, digits, - or _",
        "metrics|' , '|configuration org.outpost.metrics.upload: metrics= ,  is not valid: metric names or globs (* and ?), separated by commas or spaces",
        "time.to.live.seconds|0|configuration org.outpost.metrics.upload: time.to.live.seconds=0 is not valid: seconds a message may wait for the cloud, at least 1"
    })
    void refusesBadValuesNamingPidKeyAndValue(String key, String value, String error) {
        Map<String, Object> raw = Map.of(key, value);
        assertThatThrownBy(() -> MetricsUploadSettings.from(config(raw), raw)).hasMessage(error);
    }

    static MetricsUpload.Config config(Map<String, Object> raw) {
        MetricsUpload.Config defaults = ConfigValues.defaults(MetricsUpload.Config.class);
        return (MetricsUpload.Config) java.lang.reflect.Proxy.newProxyInstance(
                MetricsUpload.Config.class.getClassLoader(), new Class<?>[] {MetricsUpload.Config.class},
                (p, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return MetricsUpload.Config.class;
                    }
                    Object v = raw.get(method.getName().replace('_', '.'));
                    if (v == null) {
                        return method.invoke(defaults);
                    }
                    Class<?> type = method.getReturnType();
                    if (type == int.class) {
                        return Integer.parseInt(v.toString());
                    }
                    if (type == long.class) {
                        return Long.parseLong(v.toString());
                    }
                    if (type == boolean.class) {
                        return Boolean.parseBoolean(v.toString());
                    }
                    return v.toString();
                });
    }
}
