/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.service.ServiceHelper;
import org.outpost.api.message.Message;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RoutedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch as one exchange whose body is the list of the batch's messages: camel-kafka's producer sends each as a
 * record (the body's bytes as value, the key from {@link RecordKey}, the properties as headers) and, the exchange
 * being processed synchronously, returns when every record is acknowledged by all in-sync replicas, or throws. The
 * producer (and its connections) is made at the first delivery.
 */
final class KafkaSink implements EndpointSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    /** Record headers for the system properties (IoT Hub's names where it has them) and the routing facts. */
    static final String DEVICE_ID = "iothub-connection-device-id";
    static final String MODULE_ID = "iothub-connection-module-id";
    static final String ENQUEUED_TIME = "iothub-enqueuedtime";
    static final String CREATION_TIME = "iothub-creation-time-utc";
    static final String MESSAGE_ID = "message-id";
    static final String CORRELATION_ID = "correlation-id";
    static final String CONTENT_TYPE = "content-type";
    static final String CONTENT_ENCODING = "content-encoding";
    static final String OUTPUT_NAME = "outpost-output-name";
    static final String ROUTE = "outpost-route";
    static final String SEQUENCE = "outpost-sequence";

    private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final String name;
    private final CamelContext camel;
    private final KafkaConfiguration config;
    private final RecordKey key;
    private KafkaEndpoint endpoint;
    private Producer producer;

    KafkaSink(String name, CamelContext camel, KafkaConfiguration config, RecordKey key) {
        this.name = name;
        this.camel = camel;
        this.config = config;
        this.key = key;
    }

    @Override
    public synchronized void deliver(List<RoutedMessage> batch) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        List<org.apache.camel.Message> records = new ArrayList<>(batch.size());
        for (RoutedMessage routed : batch) {
            records.add(record(routed));
        }
        exchange.getIn().setBody(records);
        try {
            producer().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.ExecutionException
                    ? failure.getCause() : failure;
            throw new java.io.IOException("routing endpoint " + name + " (kafka): cannot deliver " + batch.size()
                    + " message(s) to topic " + config.getTopic() + " at " + config.getBrokers() + ": " + cause
                    + " (the hub retries; check the brokers and the endpoint's settings)", failure);
        }
    }

    private org.apache.camel.Message record(RoutedMessage routed) {
        Message m = routed.message();
        DefaultMessage record = new DefaultMessage(camel);
        record.setBody(m.body());
        m.properties().forEach(record::setHeader);
        header(record, DEVICE_ID, m.connectionDeviceId());
        header(record, MODULE_ID, m.connectionModuleId());
        header(record, MESSAGE_ID, m.messageId());
        header(record, CORRELATION_ID, m.correlationId());
        header(record, CONTENT_TYPE, m.contentType());
        header(record, CONTENT_ENCODING, m.contentEncoding());
        header(record, OUTPUT_NAME, m.outputName());
        header(record, CREATION_TIME, m.creationTimeUtc() == null ? null : m.creationTimeUtc().toString());
        header(record, ENQUEUED_TIME, routed.enqueuedTime().toString());
        header(record, ROUTE, routed.route());
        header(record, SEQUENCE, Long.toString(routed.sequence()));
        String k = key.of(m);
        if (k != null) {
            record.setHeader(KafkaConstants.KEY, k);
        }
        return record;
    }

    private static void header(org.apache.camel.Message record, String header, String value) {
        if (value != null && !value.isEmpty()) {
            record.setHeader(header, value);
        }
    }

    private Producer producer() throws Exception {
        if (producer == null) {
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            // Kafka loads its serializers by class name through the context class loader: this bundle's.
            Thread.currentThread().setContextClassLoader(KafkaSink.class.getClassLoader());
            try {
                KafkaComponent component = camel.getComponent(KafkaEndpointType.TYPE, KafkaComponent.class);
                KafkaEndpoint e = new KafkaEndpoint("kafka:" + config.getTopic() + "?clientId=" + config
                        .getClientId(), component);
                e.setConfiguration(config.copy());
                ServiceHelper.startService(e);
                Producer p = e.createProducer();
                try {
                    ServiceHelper.startService(p);
                } catch (RuntimeException ex) {
                    ServiceHelper.stopService(e);
                    throw ex;
                }
                endpoint = e;
                producer = p;
                LOG.info("Routing endpoint {} (kafka) sends to topic {} at {}", name, config.getTopic(),
                        config.getBrokers());
            } finally {
                Thread.currentThread().setContextClassLoader(tccl);
            }
        }
        return producer;
    }

    /** @return the extra producer properties, for tests */
    Map<String, Object> additionalProperties() {
        return config.getAdditionalProperties();
    }

    @Override
    public synchronized void close() {
        // Camel closes the Kafka producer without a bound, which waits for records a broker that is down never
        // takes: close it first with one (closing again is a no-op). Unsent records stay in the hub's queue.
        if (producer instanceof org.apache.camel.component.kafka.KafkaProducer camelProducer
                && camelProducer.getKafkaProducer() != null) {
            camelProducer.getKafkaProducer().close(CLOSE_TIMEOUT);
        }
        ServiceHelper.stopService(producer, endpoint);
        producer = null;
        endpoint = null;
    }
}
