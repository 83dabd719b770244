/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.Map;
import java.util.UUID;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.broker.api.Broker;
import org.outpost.hub.api.CloudToDevice;
import org.outpost.protocol.PropertyBag;

/**
 * Cloud-to-device messages in the hub's broker: one durable queue per device ({@code outpost.hub.c2d.<device>}), each
 * message with its property bag and an expiry. {@link DeviceSession} delivers them.
 */
@Component(service = {CloudToDevice.class, C2dStore.class}, configurationPid = "org.outpost.hub")
public final class C2dStore implements CloudToDevice {

    /** In the hub's configuration ({@code org.outpost.hub}, whose metatype {@link TelemetryHub} designates). */
    public @interface Config {
        /** Hours a cloud-to-device message waits for its device before it is dropped. */
        int c2d_ttl_hours() default 48;
    }

    static final String BAG = "outpost_c2d_bag";
    static final int MAX_BYTES = 64 * 1024;

    private final DeviceStore devices;
    private final Broker broker;
    private final long ttlMillis;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final Runnable stopListening;

    @Activate
    public C2dStore(@Reference DeviceStore devices, @Reference Broker broker, Config config) throws Exception {
        this.devices = devices;
        this.broker = broker;
        this.ttlMillis = Math.max(1, config.c2d_ttl_hours()) * 3_600_000L;
        this.locator = broker.createLocator();
        this.factory = locator.createSessionFactory();
        this.stopListening = devices.onDelete(this::deleteQueue);
    }

    /** A deleted device's waiting messages go with it. */
    private void deleteQueue(String deviceId) {
        try (ClientSession session = factory.createSession()) {
            if (session.queueQuery(SimpleString.of(queue(deviceId))).isExists()) {
                session.deleteQueue(queue(deviceId));
            }
        } catch (Exception e) {
            // E.g. the device's connection still consumes it: its messages expire after c2d.ttl.hours.
            org.slf4j.LoggerFactory.getLogger(C2dStore.class).warn("Could not delete the cloud-to-device queue of"
                    + " deleted device {} ({}); its messages expire after c2d.ttl.hours", deviceId, e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        stopListening.run();
        factory.close();
        locator.close();
    }

    static String queue(String deviceId) {
        return "outpost.hub.c2d." + deviceId;
    }

    /** Creates the device's queue if it has none. */
    static void ensureQueue(ClientSession session, String deviceId) throws Exception {
        String q = queue(deviceId);
        if (!session.queueQuery(SimpleString.of(q)).isExists()) {
            session.createQueue(QueueConfiguration.of(q).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
    }

    ClientSessionFactory sessions() {
        return factory;
    }

    @Override
    public String send(String deviceId, byte[] body, Map<String, String> properties) {
        if (devices.device(deviceId).isEmpty()) {
            throw new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
        }
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException("the message has " + body.length + " bytes; at most " + MAX_BYTES
                    + " are allowed");
        }
        Map<String, String> bag = new java.util.LinkedHashMap<>(properties);
        String id = bag.computeIfAbsent(PropertyBag.MESSAGE_ID, k -> UUID.randomUUID().toString());
        try (ClientSession session = factory.createSession(true, true)) {
            ensureQueue(session, deviceId);
            ClientMessage m = session.createMessage(Message.BYTES_TYPE, true);
            m.getBodyBuffer().writeBytes(body);
            m.putStringProperty(BAG, PropertyBag.encode(bag));
            m.setExpiration(System.currentTimeMillis() + ttlMillis);
            try (ClientProducer p = session.createProducer(queue(deviceId))) {
                p.send(m);
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the message for " + deviceId + " was not stored: " + e.getMessage(), e);
        }
        return id;
    }

    @Override
    public long pending(String deviceId) {
        return broker.queueStats(queue(deviceId)).map(s -> s.messages()).orElse(0L);
    }
}
