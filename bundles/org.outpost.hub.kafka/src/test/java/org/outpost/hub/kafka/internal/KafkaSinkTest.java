/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RoutedMessage;
import org.outpost.testing.kafka.KafkaBroker;

/** The kafka endpoint against a real Kafka broker (4.1, KRaft) in its own JVM. */
class KafkaSinkTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static KafkaBroker broker;
    private static KafkaEndpointType type;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.create();
        type = new KafkaEndpointType();
    }

    @AfterAll
    static void stopBroker() {
        if (type != null) {
            type.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static EndpointSink open(String topic, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(Map.of("brokers", broker.bootstrapServers(), "topic", topic,
                "requestTimeoutMs", 2000, "deliveryTimeoutMs", 4000, "maxBlockMs", 3000));
        settings.putAll(more);
        return type.open("k", settings);
    }

    static RoutedMessage message(long sequence) {
        return new RoutedMessage("telemetry", sequence, T0.plusMillis(sequence), Message.builder()
                .json("{\"n\":" + sequence + "}").connectionDeviceId("device-" + sequence % 3)
                .connectionModuleId("sensor").messageId("m" + sequence).property("level", "L" + sequence).build());
    }

    static List<RoutedMessage> batch(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(KafkaSinkTest::message).toList();
    }

    /** Reads the topic's single partition from the start until {@code count} records came. */
    static List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Nothing more than expected arrives.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static List<Long> sequences(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> Long.parseLong(header(r, KafkaSink.SEQUENCE))).toList();
    }

    @Test
    void recordsArriveInOrderWithTheDeviceAsKeyAndThePropertiesAsHeaders() throws Exception {
        try (EndpointSink sink = open("in-order", Map.of())) {
            for (long i = 1; i <= 100; i += 10) {
                sink.deliver(batch(i, i + 9));
            }
        }
        List<ConsumerRecord<String, byte[]>> records = read("in-order", 100);
        assertThat(sequences(records)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        ConsumerRecord<String, byte[]> first = records.get(0);
        assertThat(first.key()).isEqualTo("device-1");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(header(first, "level")).isEqualTo("L1");
        assertThat(header(first, KafkaSink.DEVICE_ID)).isEqualTo("device-1");
        assertThat(header(first, KafkaSink.MODULE_ID)).isEqualTo("sensor");
        assertThat(header(first, KafkaSink.MESSAGE_ID)).isEqualTo("m1");
        assertThat(header(first, KafkaSink.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(header(first, KafkaSink.ENQUEUED_TIME)).isEqualTo("2026-12-05T12:00:00.001Z");
        assertThat(header(first, KafkaSink.ROUTE)).isEqualTo("telemetry");
    }

    @Test
    void aRedeliveredBatchIsSentAgainWithTheSameSequences() throws Exception {
        try (EndpointSink sink = open("redelivered", Map.of("key", "property:level"))) {
            sink.deliver(batch(1, 5));
            sink.deliver(batch(1, 5)); // the hub did not see the first delivery's success
            sink.deliver(batch(6, 7));
        }
        List<ConsumerRecord<String, byte[]>> records = read("redelivered", 12);
        // At least once: the consumer tells a redelivery by outpost-sequence.
        assertThat(sequences(records)).containsExactly(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(records.get(0).key()).isEqualTo("L1");
    }

    @Test
    void theBrokerDownFailsTheDeliveryAndAfterItIsBackTheBatchArrivesInOrder() throws Exception {
        try (EndpointSink sink = open("outage", Map.of("compression", "lz4"))) {
            sink.deliver(batch(1, 10));
            broker.stop();
            try {
                assertThatThrownBy(() -> sink.deliver(batch(11, 20)))
                        .hasMessageStartingWith("routing endpoint k (kafka): cannot deliver 10 message(s) to topic "
                                + "outage at " + broker.bootstrapServers());
            } finally {
                broker.start();
            }
            sink.deliver(batch(11, 20));
            sink.deliver(batch(21, 30));
        }
        List<Long> sequences = sequences(read("outage", 30));
        // What the failed attempt may still have written comes before the retry: each sequence at least once, and
        // the last copies in order.
        assertThat(sequences).containsAll(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(sequences.subList(sequences.size() - 20, sequences.size()))
                .containsExactlyElementsOf(LongStream.rangeClosed(11, 30).boxed().toList());
    }

    @Test
    void closingWhileTheBrokerIsDownDoesNotHang() throws Exception {
        EndpointSink sink = open("closing", Map.of());
        sink.deliver(batch(1, 2));
        broker.stop();
        try {
            assertThatThrownBy(() -> sink.deliver(batch(3, 4))).hasMessageContaining("cannot deliver");
            long start = System.nanoTime();
            sink.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            broker.start();
        }
    }

    @Test
    void everyCompressionWorks() throws Exception {
        for (String compression : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            try (EndpointSink sink = open("compressed-" + compression, Map.of("compression", compression))) {
                sink.deliver(batch(1, 20));
            }
            assertThat(sequences(read("compressed-" + compression, 20))).as(compression).hasSize(20);
        }
    }

    @Test
    void settingsAreCheckedNamingTheSetting() {
        assertThatThrownBy(() -> type.open("k", Map.of("topic", "t"))).hasMessage("settings.brokers: required");
        assertThatThrownBy(() -> type.open("k", Map.of("brokers", "h:1", "topic", "a/b")))
                .hasMessageStartingWith("settings.topic: 'a/b' is not a Kafka topic name");
        assertThatThrownBy(() -> type.open("k", Map.of("brokers", "h:1", "topic", "t", "compression", "brotli")))
                .hasMessageStartingWith("settings.compression: 'brotli' is not one of");
        assertThatThrownBy(() -> type.open("k", Map.of("brokers", "h:1", "topic", "t", "key", "random")))
                .hasMessageStartingWith("settings.key: 'random': expected deviceId, none or property:<name>");
        assertThatThrownBy(() -> type.open("k", Map.of("brokers", "h:1", "topic", "t", "deliveryTimeoutMs", 100)))
                .hasMessageStartingWith("settings.deliveryTimeoutMs: 100 is below lingerMs + requestTimeoutMs");
        assertThatThrownBy(() -> type.open("k", Map.of("brokers", "h:1", "topic", "t", "acks", "1")))
                .hasMessageStartingWith("settings.acks: unknown setting");
    }
}
