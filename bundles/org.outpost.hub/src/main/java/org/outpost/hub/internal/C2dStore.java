/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.commons.DaemonThreads;
import org.outpost.hub.api.CloudToDevice;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.protocol.PropertyBag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud-to-device messages in the hub database ({@code c2d_messages}), each with its property bag and an expiry, in
 * the order they were sent. {@link HubCloudToDevice} hands them to the IoT Hub endpoint, which delivers them while the
 * device is connected and subscribed, on whichever hub node that is: a node that stores one tells the others, and the
 * one holding the device sends it. A message is deleted when the device acknowledges it, so one unacknowledged when a
 * connection ends comes again on the next.
 *
 * <p>
 * Bounded as IoT Hub's queues are: at most {@code c2d.max.per.device} messages (50) wait per device, and a send
 * beyond is refused with what to do; expired messages are deleted every {@code c2d.purge.minutes} (and those of a
 * device when it is sent another or reads), whether or not their device ever comes back.
 */
@Component(service = {CloudToDevice.class, C2dStore.class}, configurationPid = "org.outpost.hub")
public final class C2dStore implements CloudToDevice {

    /** In the hub's configuration ({@code org.outpost.hub}, whose metatype {@link TelemetryHub} designates). */
    public @interface Config {
        /** Hours a cloud-to-device message waits for its device before it is dropped. */
        int c2d_ttl_hours() default 48;

        /** Messages that may wait for one device (IoT Hub: 50); a send beyond is refused. */
        int c2d_max_per_device() default 50;

        /** Minutes between two deletions of expired messages. */
        int c2d_purge_minutes() default 10;
    }

    /**
     * @param ttl how long a message waits for its device
     * @param maxPerDevice how many may wait for one device
     * @param purgeEvery how often expired messages are deleted
     */
    record Limits(Duration ttl, int maxPerDevice, Duration purgeEvery) {
        Limits {
            if (maxPerDevice < 1) {
                throw new IllegalArgumentException("c2d.max.per.device " + maxPerDevice + " must be at least 1; fix"
                        + " etc/org.outpost.hub.cfg");
            }
        }

        static Limits of(Config config) {
            return new Limits(Duration.ofHours(Math.max(1, config.c2d_ttl_hours())), config.c2d_max_per_device(),
                    Duration.ofMinutes(Math.max(1, config.c2d_purge_minutes())));
        }
    }

    static final int MAX_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(C2dStore.class);

    /** A waiting message: its place in the device's order, its encoded property bag and its body. */
    record Message(long seq, String bag, byte[] body) {
    }

    private final HubDatabase db;
    private final DeviceStore devices;
    private final long ttlMillis;
    private final int maxPerDevice;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Runnable stopListening;
    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(
            "outpost-hub-c2d-purge"));

    @Activate
    public C2dStore(@Reference HubDatabase db, @Reference DeviceStore devices, Config config) {
        this(db, devices, Limits.of(config));
    }

    C2dStore(HubDatabase db, DeviceStore devices, Limits limits) {
        this.db = db;
        this.devices = devices;
        this.ttlMillis = limits.ttl().toMillis();
        this.maxPerDevice = limits.maxPerDevice();
        // Stored through another node: the session of the device, if this node holds it, sends it.
        this.stopListening = db.subscribe("c2d", this::arrived);
        long every = limits.purgeEvery().toMillis();
        purger.scheduleWithFixedDelay(this::purgeLogged, every, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        purger.shutdownNow();
        stopListening.run();
    }

    private void purgeLogged() {
        try {
            int n = purgeExpired();
            if (n > 0) {
                LOG.info("Deleted {} expired cloud-to-device message(s)", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not delete expired cloud-to-device messages (tried again later): {}", e.getMessage());
        }
    }

    /** @return how many expired messages, of any device, were deleted */
    int purgeExpired() {
        long now = System.currentTimeMillis();
        return db.transaction("deleting expired cloud-to-device messages", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM c2d_messages WHERE expires_ms <= ?")) {
                s.setLong(1, now);
                return s.executeUpdate();
            }
        });
    }

    /** Hears of a device's new messages (with its id), stored through any node. */
    Runnable onMessage(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void arrived(String deviceId) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(deviceId);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on a cloud-to-device"
                        + " message for {}: {}", deviceId, e.toString());
            }
        }
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
        Map<String, String> bag = new LinkedHashMap<>(properties);
        String id = bag.computeIfAbsent(PropertyBag.MESSAGE_ID, k -> UUID.randomUUID().toString());
        long now = System.currentTimeMillis();
        db.transaction("storing a cloud-to-device message for " + deviceId, c -> {
            int waiting = waitingAfterPurge(c, deviceId, now);
            if (waiting >= maxPerDevice) {
                throw new IllegalArgumentException("device '" + deviceId + "' has " + waiting + " cloud-to-device"
                        + " messages waiting, the most one device may have (c2d.max.per.device in"
                        + " etc/org.outpost.hub.cfg); nothing was sent: send it again once the device has taken some"
                        + " or they expired");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO c2d_messages (device_id, properties, body,"
                    + " created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, deviceId);
                s.setString(2, PropertyBag.encode(bag));
                s.setString(3, Base64.getEncoder().encodeToString(body));
                s.setLong(4, now);
                s.setLong(5, now + ttlMillis);
                return s.executeUpdate();
            }
        });
        try {
            db.publish("c2d", deviceId);
        } catch (RuntimeException e) {
            // Stored: the device gets it when it next subscribes.
            LOG.warn("Could not tell the other hub nodes of a"
                    + " cloud-to-device message for {}: {}", deviceId, e.getMessage());
        }
        arrived(deviceId);
        return id;
    }

    /**
     * Takes the device's row lock (so that sends to one device count one after the other, on every node), deletes its
     * expired messages and counts the others.
     */
    private static int waitingAfterPurge(Connection c, String deviceId, long now) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM devices WHERE id = ? FOR UPDATE")) {
            lock.setString(1, deviceId);
            lock.executeQuery().close();
        }
        try (PreparedStatement gone = c.prepareStatement("DELETE FROM c2d_messages WHERE device_id = ? AND"
                + " expires_ms <= ?")) {
            gone.setString(1, deviceId);
            gone.setLong(2, now);
            gone.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM c2d_messages WHERE device_id = ?")) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Override
    public long pending(String deviceId) {
        return db.transaction("counting the cloud-to-device messages of " + deviceId, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM c2d_messages WHERE device_id = ? AND"
                    + " expires_ms > ?")) {
                s.setString(1, deviceId);
                s.setLong(2, System.currentTimeMillis());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    /**
     * @return the device's next messages after {@code afterSeq}, oldest first, at most {@code max}; expired ones are
     *         deleted on the way
     */
    List<Message> waiting(String deviceId, long afterSeq, int max) {
        long now = System.currentTimeMillis();
        return db.transaction("reading the cloud-to-device messages of " + deviceId, c -> {
            try (PreparedStatement gone = c.prepareStatement("DELETE FROM c2d_messages WHERE device_id = ? AND"
                    + " expires_ms <= ?")) {
                gone.setString(1, deviceId);
                gone.setLong(2, now);
                gone.executeUpdate();
            }
            List<Message> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT seq, properties, body FROM c2d_messages WHERE"
                    + " device_id = ? AND seq > ? ORDER BY seq LIMIT " + max)) {
                s.setString(1, deviceId);
                s.setLong(2, afterSeq);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Message(r.getLong(1), r.getString(2), Base64.getDecoder().decode(r.getString(3))));
                    }
                }
            }
            return out;
        });
    }

    /** The device acknowledged a message: it is not sent again. */
    void delivered(long seq) {
        db.transaction("deleting a delivered cloud-to-device message", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM c2d_messages WHERE seq = ?")) {
                s.setLong(1, seq);
                return s.executeUpdate();
            }
        });
    }
}
