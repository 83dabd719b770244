/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.module.SendException;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what modules send: each message goes durably into the ingress queue, and {@link #send} returns only once the
 * broker's journal has synced it. Sessions are pooled; each is used by one thread at a time.
 */
@Component(service = Ingress.class, configurationPid = RuntimeSettings.PID)
@Designate(ocd = Ingress.Config.class)
public final class Ingress {

    @ObjectClassDefinition(name = "Outpost runtime", description = "The gateway's module runtime.")
    public @interface Config {
        @AttributeDefinition(description = "Device id of this gateway, as the cloud knows it.")
        String device_id() default "outpost-gateway";

        @AttributeDefinition(description = "Broker sessions kept for module sends (concurrent senders).")
        int send_sessions() default 4;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Ingress.class);

    private final ModuleCounters counters;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final BlockingQueue<Sender> senders;
    private volatile RuntimeSettings settings;

    @Activate
    public Ingress(@Reference Broker broker, @Reference ModuleCounters counters, Config config,
            Map<String, Object> properties) throws Exception {
        this.counters = counters;
        this.settings = settingsOrDefault(config, properties, new RuntimeSettings(ConfigValues.defaults(Config.class)
                .device_id()));
        this.locator = broker.createLocator();
        this.factory = locator.createSessionFactory();
        int size = Math.max(1, config.send_sessions());
        this.senders = new ArrayBlockingQueue<>(size);
        try (ClientSession admin = factory.createSession()) {
            if (!admin.queueQuery(org.apache.activemq.artemis.api.core.SimpleString.of(Addresses.INGRESS)).isExists()) {
                admin.createQueue(QueueConfiguration.of(Addresses.INGRESS).setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true));
            }
        }
        for (int i = 0; i < size; i++) {
            senders.add(new Sender(factory.createSession()));
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        this.settings = settingsOrDefault(config, properties, settings);
    }

    private static RuntimeSettings settingsOrDefault(Config config, Map<String, Object> properties,
            RuntimeSettings keep) {
        try {
            return RuntimeSettings.from(config, properties);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; keeping device id '{}'", e.getMessage(), keep.deviceId());
            return keep;
        }
    }

    @Deactivate
    void deactivate() {
        for (Sender s : senders) {
            s.close();
        }
        factory.close();
        locator.close();
    }

    /** @return the device id of this gateway */
    String deviceId() {
        return settings.deviceId();
    }

    /**
     * Stores a message as sent by {@code module} to {@code output}.
     *
     * @throws SendException if the broker did not store it
     */
    void send(String module, String output, Message message) throws SendException {
        ModuleNames.require("module id", module);
        ModuleNames.require("output name", output);
        Message.Builder b = message.toBuilder().connectionModuleId(module).connectionDeviceId(settings.deviceId())
                .outputName(output);
        if (message.messageId() == null) {
            b.messageId(UUID.randomUUID().toString());
        }
        if (message.creationTimeUtc() == null) {
            b.creationTimeUtc(Instant.now());
        }
        Message stored = b.build();
        Sender sender;
        try {
            sender = senders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendException("interrupted while waiting to store the message", e);
        }
        try {
            sender.send(stored);
            counters.sent(module);
        } catch (ActiveMQException e) {
            throw new SendException("the gateway broker did not store the message from " + module + "/" + output
                    + ": " + e.getMessage(), e);
        } finally {
            senders.add(sender);
        }
    }

    private static final class Sender {
        private final ClientSession session;
        private final ClientProducer producer;

        Sender(ClientSession session) throws ActiveMQException {
            this.session = session;
            this.producer = session.createProducer(Addresses.INGRESS);
        }

        void send(Message m) throws ActiveMQException {
            ClientMessage cm = session.createMessage(ClientMessage.BYTES_TYPE, true);
            cm.getBodyBuffer().writeBytes(m.body());
            MessageHeaders.of(m).forEach(cm::putStringProperty);
            producer.send(cm);
        }

        void close() {
            try {
                session.close();
            } catch (ActiveMQException e) {
                LOG.debug("Closing a sender session: {}", e.getMessage());
            }
        }
    }
}
