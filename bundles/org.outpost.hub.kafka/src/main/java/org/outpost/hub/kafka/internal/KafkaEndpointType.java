/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.kafka.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.outpost.hub.routing.EndpointSettings;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.EndpointType;

/**
 * Endpoint type {@code kafka}: each message becomes a record of a Kafka topic, sent by camel-kafka's producer
 * ({@code acks=all}, idempotent, so in order per partition and without duplicates from the producer's own retries).
 * Settings: {@code brokers} (bootstrap servers), {@code topic}, {@code key} ({@code deviceId}, the default,
 * {@code none}, or {@code property:<name>}), {@code compression} ({@code none}, {@code gzip}, {@code snappy},
 * {@code lz4}, {@code zstd}), {@code lingerMs} (5), {@code requestTimeoutMs} (15000), {@code deliveryTimeoutMs}
 * (30000), {@code maxBlockMs} (15000), {@code clientId} ({@code outpost-hub-<endpoint>}) and {@code properties}
 * (more producer properties, e.g. {@code security.protocol}).
 */
@Component(service = EndpointType.class, property = EndpointType.TYPE + "=" + KafkaEndpointType.TYPE)
public final class KafkaEndpointType implements EndpointType {

    static final String TYPE = "kafka";
    private static final Set<String> KNOWN = Set.of("brokers", "topic", "key", "compression", "lingerMs",
            "requestTimeoutMs", "deliveryTimeoutMs", "maxBlockMs", "clientId", "properties");
    private static final Set<String> COMPRESSION = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    private final CamelContext camel;

    /** Starts the Camel context the endpoints' producers belong to (no routes; JMX off). */
    @Activate
    public KafkaEndpointType() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(KafkaEndpointType.class.getClassLoader());
        try {
            DefaultCamelContext context = new DefaultCamelContext();
            context.getCamelContextExtension().setName("outpost-hub-kafka");
            context.setApplicationContextClassLoader(KafkaEndpointType.class.getClassLoader());
            context.disableJMX();
            context.addComponent(TYPE, new KafkaComponent());
            context.start();
            this.camel = context;
        } finally {
            Thread.currentThread().setContextClassLoader(tccl);
        }
    }

    @Override
    public EndpointSink open(String name, Map<String, Object> settings) {
        EndpointSettings s = new EndpointSettings(settings, KNOWN);
        KafkaConfiguration config = new KafkaConfiguration();
        config.setBrokers(s.string("brokers"));
        String topic = s.string("topic");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw EndpointSettings.wrong("topic", "'" + topic + "' is not a Kafka topic name (letters, digits, . _ -)");
        }
        config.setTopic(topic);
        String compression = s.string("compression", "none").toLowerCase(Locale.ROOT);
        if (!COMPRESSION.contains(compression)) {
            throw EndpointSettings.wrong("compression", "'" + compression + "' is not one of " + COMPRESSION);
        }
        config.setCompressionCodec(compression);
        config.setRequestRequiredAcks("all");
        config.setEnableIdempotence(true);
        config.setMaxInFlightRequest(5);
        config.setRetries(Integer.MAX_VALUE);
        config.setKeySerializer(StringSerializer.class.getName());
        config.setValueSerializer(ByteArraySerializer.class.getName());
        int linger = (int) s.number("lingerMs", 5, 0);
        int request = (int) s.number("requestTimeoutMs", 15_000, 1);
        int delivery = (int) s.number("deliveryTimeoutMs", 30_000, 1);
        if (delivery < linger + request) {
            throw EndpointSettings.wrong("deliveryTimeoutMs", delivery + " is below lingerMs + requestTimeoutMs (" + (linger
                    + request) + "), as Kafka requires");
        }
        config.setLingerMs(linger);
        config.setRequestTimeoutMs(request);
        config.setDeliveryTimeoutMs(delivery);
        config.setMaxBlockMs((int) s.number("maxBlockMs", 15_000, 1));
        config.setRetryBackoffMs(200);
        config.setClientId(s.string("clientId", "outpost-hub-" + name));
        config.setBatchWithIndividualHeaders(true);
        config.setRecordMetadata(false);
        config.setAdditionalProperties(s.map("properties"));
        return new KafkaSink(name, camel, config, RecordKey.parse(s.string("key", "deviceId")));
    }

    @Deactivate
    void stop() {
        camel.stop();
    }
}
