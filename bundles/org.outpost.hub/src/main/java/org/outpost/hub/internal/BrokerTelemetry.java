/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.MqttAddresses;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.protocol.TelemetryTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry from the IoT Hub endpoint is stored durably in the hub's broker, at the address of its MQTT topic, before
 * it is acknowledged; the hub's telemetry ingestion ({@link TelemetryHub}) reads it there. Each connection writes
 * through a broker session of its own. While the broker's disk is full a message is refused at once (the device gets
 * no acknowledgement, its connection is closed with the broker's message in the log, and its SDK sends it again
 * later), and a send waits for the journal at most the broker's store timeout.
 */
final class BrokerTelemetry implements TelemetrySink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerTelemetry.class);

    private final Broker broker;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;

    /** @throws Exception if the broker takes no sessions */
    BrokerTelemetry(Broker broker) throws Exception {
        this.broker = broker;
        this.locator = broker.createLocator();
        try {
            this.factory = locator.createSessionFactory();
        } catch (Exception e) {
            locator.close();
            throw e;
        }
    }

    @Override
    public TelemetryWriter open(Identity identity) throws ActiveMQException {
        ClientSession session = factory.createSession(true, true);
        ClientProducer producer = session.createProducer();
        return new TelemetryWriter() {
            @Override
            public void write(String topic, TelemetryTopic telemetry, byte[] payload) throws Exception {
                broker.requireStorage();
                ClientMessage m = session.createMessage(Message.BYTES_TYPE, true);
                m.getBodyBuffer().writeBytes(payload);
                producer.send(MqttAddresses.address(topic), m);
            }

            @Override
            public void close() {
                try {
                    session.close();
                } catch (ActiveMQException e) {
                    LOG.debug("Closing the broker session of {}: {}", identity, e.toString());
                }
            }
        };
    }

    @Override
    public void close() {
        factory.close();
        locator.close();
    }
}
