/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.ModuleNames;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.NewDevice;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry, in the hub database's {@code devices} table: per device its creation time, the HMAC-SHA256 of
 * its primary key under a salt (a plain key given as a password is checked against it), the keys themselves (SAS
 * tokens are signed with them, so they are kept, as IoT Hub keeps device keys), an X.509 thumbprint, whether it is
 * disabled, and its tags.
 *
 * <p>
 * Nothing of the registry is cached: every hub node reads it from the database, so a device registered, rotated or
 * disabled through one node is so at once on all. Activity is the exception, because it changes with every message:
 * each node counts its devices' messages, last activity and open connections in memory, and adds them to the database
 * every {@value #FLUSH_SECONDS} s (connections per node, in {@code connections}). What a node reports adds what it has
 * not written yet, so its own view is current and other nodes' views lag by at most that long. Deletions and
 * disablings are announced to the other nodes, which close the device's connections they hold.
 */
@Component(service = {DeviceRegistry.class, DeviceStore.class})
public final class DeviceStore implements DeviceRegistry {

    static final int FLUSH_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStore.class);
    private static final java.util.regex.Pattern THUMBPRINT = java.util.regex.Pattern.compile(
            "[0-9A-F]{40}|[0-9A-F]{64}");
    private static final String COLUMNS = "id, created_ms, salt, key_hash, primary_key, thumbprint, secondary_key,"
            + " disabled, last_seen_ms, messages";

    /**
     * A registry row.
     *
     * @param key the primary key, or null for an entry written before keys were kept (it has only the hash)
     * @param thumbprint the SHA-1 or SHA-256 thumbprint (upper-case hex) of the device's X.509 certificate, or null
     * @param secondary the secondary key, or null
     */
    private record Entry(String id, Instant created, byte[] salt, byte[] hash, String key, String thumbprint,
            String secondary, boolean disabled, Instant lastSeen, long messages) {
    }

    /** What this node saw of a device: messages not added to the database yet, and its last activity. */
    private static final class Activity {
        final AtomicLong messages = new AtomicLong();
        volatile long lastSeen;
        /** The last activity the database has from this node (flushes skip devices quiet since). */
        long flushedSeen;
    }

    private final SecureRandom random = new SecureRandom();
    private final HubDatabase db;
    private final Map<String, Activity> activity = new ConcurrentHashMap<>();
    /** This node's open connections per device (exact; the database has them as of the last flush). */
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final java.util.Set<String> connectionsChanged = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> deleteListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> createListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> disableListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> stopListening = new ArrayList<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outpost-hub-activity");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public DeviceStore(@Reference HubDatabase db) {
        this.db = db;
        // Another node deleted or disabled a device: the connections this node holds for it close.
        stopListening.add(db.subscribe("device-deleted", id -> forgetDeleted(id)));
        stopListening.add(db.subscribe("device-disabled", id -> notify(disableListeners, id, "disabling")));
        // This node was taken for gone (its counted connections with it) and is registered again: count them again.
        stopListening.add(db.onResync(() -> connectionsChanged.addAll(connections.keySet())));
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        stopListening.forEach(Runnable::run);
        flusher.shutdownNow();
        flush();
    }

    @Override
    public List<Device> devices() {
        return db.transaction("listing the devices", c -> {
            Map<String, Integer> elsewhere = connectionsElsewhere(c, null);
            List<Device> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM devices ORDER BY id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(toDevice(entry(r), elsewhere.getOrDefault(r.getString(1), 0)));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Device> device(String id) {
        return db.transaction("reading device " + id, c -> {
            Optional<Entry> e = entry(c, id);
            return e.isEmpty() ? Optional.<Device>empty()
                    : Optional.of(toDevice(e.get(), connectionsElsewhere(c, id).getOrDefault(id, 0)));
        });
    }

    /** @return true if the device is registered (cheaper than {@link #device}) */
    boolean exists(String id) {
        return entry(id).isPresent();
    }

    private Device toDevice(Entry e, int elsewhere) {
        Activity a = activity.get(e.id());
        Instant seen = e.lastSeen();
        if (a != null && a.lastSeen > 0 && (seen == null || a.lastSeen > seen.toEpochMilli())) {
            seen = Instant.ofEpochMilli(a.lastSeen);
        }
        AtomicInteger here = connections.get(e.id());
        return new Device(e.id(), e.created(), seen, e.messages() + (a == null ? 0 : a.messages.get()),
                !e.disabled(), elsewhere + (here == null ? 0 : here.get()), e.secondary() != null);
    }

    /** @return open connections per device held by the other nodes (of one device, or of all if id is null) */
    private Map<String, Integer> connectionsElsewhere(Connection c, String id) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT device_id, SUM(open_count) FROM connections WHERE"
                + " node_id <> ?" + (id == null ? "" : " AND device_id = ?") + " GROUP BY device_id")) {
            s.setString(1, db.nodeId());
            if (id != null) {
                s.setString(2, id);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    @Override
    public String create(String id) {
        ModuleNames.require("device id", id);
        String key = newKey();
        Instant now = Instant.now();
        try {
            db.transaction("registering device " + id, c -> {
                insert(c, id, now, key, null);
                return null;
            });
        } catch (org.outpost.hub.storage.StorageException e) {
            if (e.conflict() || exists(id)) {
                throw new IllegalArgumentException("device '" + id + "' is already registered; use rotate-key to"
                        + " give it a new key");
            }
            throw e;
        }
        notify(createListeners, id, "registering");
        return key;
    }

    private void insert(Connection c, String id, Instant created, String key, String secondary) throws SQLException {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO devices (id, created_ms, salt, key_hash,"
                + " primary_key, secondary_key) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setLong(2, created.toEpochMilli());
            s.setString(3, Base64.getEncoder().encodeToString(salt));
            s.setString(4, Base64.getEncoder().encodeToString(hmac(salt, key)));
            s.setString(5, key);
            s.setString(6, secondary);
            s.executeUpdate();
        }
    }

    @Override
    public Map<String, String> importDevices(List<NewDevice> devices) {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> secondaries = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            NewDevice d = devices.get(i);
            String at = "device " + (i + 1) + " ('" + d.id() + "')";
            if (!ModuleNames.isValid(d.id())) {
                throw new IllegalArgumentException(at + ": not a device id (letters, digits, '-', '_')");
            }
            if (keys.containsKey(d.id())) {
                throw new IllegalArgumentException(at + ": already registered earlier in this import");
            }
            keys.put(d.id(), d.primaryKey() == null ? newKey() : checkKey(d.primaryKey(), at + ": primaryKey"));
            if (d.secondaryKey() != null) {
                secondaries.put(d.id(), checkKey(d.secondaryKey(), at + ": secondaryKey"));
            }
        }
        Instant now = Instant.now();
        // One transaction: all of them or, if one is refused, none.
        db.transaction("importing " + keys.size() + " device(s)", c -> {
            List<String> ids = new ArrayList<>(keys.keySet());
            for (int from = 0; from < ids.size(); from += 500) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM devices WHERE id IN ("
                        + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        s.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            String taken = r.getString(1);
                            throw new IllegalArgumentException("device " + (ids.indexOf(taken) + 1) + " ('" + taken
                                    + "'): already registered");
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO devices (id, created_ms, salt, key_hash,"
                    + " primary_key, secondary_key) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, String> k : keys.entrySet()) {
                    byte[] salt = new byte[16];
                    random.nextBytes(salt);
                    s.setString(1, k.getKey());
                    s.setLong(2, now.toEpochMilli());
                    s.setString(3, Base64.getEncoder().encodeToString(salt));
                    s.setString(4, Base64.getEncoder().encodeToString(hmac(salt, k.getValue())));
                    s.setString(5, k.getValue());
                    s.setString(6, secondaries.get(k.getKey()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
        LOG.info("{} device(s) imported", keys.size());
        keys.keySet().forEach(id -> notify(createListeners, id, "registering"));
        return keys;
    }

    private static String checkKey(String key, String at) {
        byte[] bytes;
        try {
            bytes = key.indexOf('-') >= 0 || key.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(key)
                    : Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": not Base64 (" + e.getMessage() + ")");
        }
        if (bytes.length < 16 || bytes.length > 64) {
            throw new IllegalArgumentException(at + ": " + bytes.length + " bytes; a key has 16 to 64 (as IoT Hub's)");
        }
        return key;
    }

    @Override
    public String rotateKey(String id, boolean secondary) {
        String key = newKey();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        update(id, "rotating the " + (secondary ? "secondary" : "primary") + " key of " + id, secondary
                ? "UPDATE devices SET secondary_key = ? WHERE id = ?"
                : "UPDATE devices SET salt = ?, key_hash = ?, primary_key = ? WHERE id = ?", secondary
                        ? new Object[] {key, id}
                        : new Object[] {Base64.getEncoder().encodeToString(salt),
                                Base64.getEncoder().encodeToString(hmac(salt, key)), key, id});
        return key;
    }

    /** Updates a device's row; throws "no device" if it has none. */
    private void update(String id, String what, String sql, Object... values) {
        int n = db.transaction(what, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                return s.executeUpdate();
            }
        });
        if (n == 0) {
            throw new IllegalArgumentException("no device '" + id + "'");
        }
    }

    @Override
    public void setEnabled(String id, boolean enabled) {
        int changed = db.transaction((enabled ? "enabling " : "disabling ") + id, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE devices SET disabled = ? WHERE id = ? AND"
                    + " disabled = ?")) {
                s.setBoolean(1, !enabled);
                s.setString(2, id);
                s.setBoolean(3, enabled);
                return s.executeUpdate();
            }
        });
        if (changed == 0) {
            if (!exists(id)) {
                throw new IllegalArgumentException("no device '" + id + "'");
            }
            return;
        }
        LOG.info("Device {} {}", id, enabled ? "enabled" : "disabled");
        if (!enabled) {
            db.publish("device-disabled", id);
            notify(disableListeners, id, "disabling");
        }
    }

    /** @return true if the device is registered and not disabled */
    boolean enabled(String id) {
        return entry(id).map(e -> !e.disabled()).orElse(false);
    }

    private String newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    @Override
    public boolean delete(String id) {
        // Its twins, tags, deployments applied and connections go with it (the schema cascades).
        int n = db.transaction("deleting device " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM devices WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate();
            }
        });
        if (n == 0) {
            return false;
        }
        db.publish("device-deleted", id);
        forgetDeleted(id);
        return true;
    }

    private void forgetDeleted(String id) {
        activity.remove(id);
        notify(deleteListeners, id, "deleting");
    }

    private static void notify(List<Consumer<String>> listeners, String id, String what) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed after {} device {}: {}", what, id, e.toString());
            }
        }
    }

    /** Hears of devices registered through this node (after they are stored). */
    Runnable onCreate(Consumer<String> listener) {
        createListeners.add(listener);
        return () -> createListeners.remove(listener);
    }

    /** Hears of disabled devices (through any node), so that their connections are closed. */
    Runnable onDisable(Consumer<String> listener) {
        disableListeners.add(listener);
        return () -> disableListeners.remove(listener);
    }

    /**
     * Hears of deleted devices (through any node), so that what is kept for them in memory (messages, connections)
     * goes with them.
     *
     * @return stops listening (when the listener's component stops)
     */
    Runnable onDelete(Consumer<String> listener) {
        deleteListeners.add(listener);
        return () -> deleteListeners.remove(listener);
    }

    /** Counts a connection of the device (or of one of its modules) opening or closing on this node. */
    void connection(String id, boolean open) {
        if (open) {
            connections.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        } else {
            connections.computeIfPresent(id, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        connectionsChanged.add(id);
        if (open) {
            seen(id);
        }
    }

    /** @return true if {@code key} is the device's primary or secondary key */
    boolean verify(String id, String key) {
        Optional<Entry> found = entry(id);
        if (found.isEmpty() || key == null) {
            return false;
        }
        Entry e = found.get();
        boolean ok = MessageDigest.isEqual(e.hash(), hmac(e.salt(), key)) | (e.secondary() != null
                && MessageDigest.isEqual(e.secondary().getBytes(StandardCharsets.UTF_8),
                        key.getBytes(StandardCharsets.UTF_8)));
        if (ok) {
            seen(id);
        }
        return ok;
    }

    /**
     * @return the device's key, to check a SAS token with; empty if the device is unknown or was registered before
     *         keys were kept (rotate its key to use SAS tokens)
     */
    Optional<String> key(String id) {
        return entry(id).map(Entry::key);
    }

    /** @return the device's secondary key, if it has one */
    Optional<String> secondaryKey(String id) {
        return entry(id).map(Entry::secondary);
    }

    @Override
    public void setThumbprint(String id, String thumbprint) {
        String t = thumbprint == null ? null : thumbprint.replace(":", "").toUpperCase(java.util.Locale.ROOT);
        if (t != null && !THUMBPRINT.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + thumbprint + "' is not a certificate thumbprint: give the"
                    + " SHA-256 (64 hex digits) or SHA-1 (40) fingerprint, e.g. from openssl x509 -noout"
                    + " -fingerprint -sha256 -in device.crt");
        }
        update(id, "setting the thumbprint of " + id, "UPDATE devices SET thumbprint = ? WHERE id = ?", t, id);
    }

    /** @return the thumbprint of the device's X.509 certificate, if it has one */
    Optional<String> thumbprint(String id) {
        return entry(id).map(Entry::thumbprint);
    }

    /** Notes that a device authenticated. */
    void seen(String id) {
        activity.computeIfAbsent(id, k -> new Activity()).lastSeen = System.currentTimeMillis();
    }

    /** Counts a telemetry message from a device. */
    void received(String id) {
        Activity a = activity.computeIfAbsent(id, k -> new Activity());
        a.lastSeen = System.currentTimeMillis();
        a.messages.incrementAndGet();
    }

    /** Adds what this node saw since the last flush to the database (every {@value #FLUSH_SECONDS} s). */
    void flush() {
        try {
            flushActivity();
            flushConnections();
        } catch (RuntimeException e) {
            LOG.warn("Could not store device activity (tried again in {} s): {}", FLUSH_SECONDS, e.getMessage());
        }
    }

    private void flushActivity() {
        Map<Activity, long[]> taken = new HashMap<>();
        Map<String, Activity> byId = new HashMap<>();
        for (Map.Entry<String, Activity> e : activity.entrySet()) {
            Activity a = e.getValue();
            long seen = a.lastSeen;
            if (a.messages.get() == 0 && seen == a.flushedSeen) {
                continue;
            }
            taken.put(a, new long[] {a.messages.getAndSet(0), seen});
            byId.put(e.getKey(), a);
        }
        if (taken.isEmpty()) {
            return;
        }
        try {
            db.transaction("storing the activity of " + taken.size() + " device(s)", c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE devices SET messages = messages + ?,"
                        + " last_seen_ms = CASE WHEN last_seen_ms IS NULL OR last_seen_ms < ? THEN ? ELSE last_seen_ms"
                        + " END WHERE id = ?")) {
                    for (Map.Entry<String, Activity> e : byId.entrySet()) {
                        long[] v = taken.get(e.getValue());
                        s.setLong(1, v[0]);
                        s.setLong(2, v[1]);
                        s.setLong(3, v[1]);
                        s.setString(4, e.getKey());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                return null;
            });
        } catch (RuntimeException e) {
            // Kept for the next flush.
            taken.forEach((a, v) -> a.messages.addAndGet(v[0]));
            throw e;
        }
        taken.forEach((a, v) -> a.flushedSeen = v[1]);
    }

    private void flushConnections() {
        List<String> changed = new ArrayList<>(connectionsChanged);
        if (changed.isEmpty()) {
            return;
        }
        connectionsChanged.removeAll(changed);
        try {
            db.transaction("storing the connections of " + changed.size() + " device(s)", c -> {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM connections WHERE node_id = ? AND"
                        + " device_id = ?");
                        PreparedStatement in = c.prepareStatement("INSERT INTO connections (node_id, device_id,"
                                + " open_count) SELECT ?, ?, ? FROM devices WHERE id = ?")) {
                    for (String id : changed) {
                        del.setString(1, db.nodeId());
                        del.setString(2, id);
                        del.addBatch();
                        AtomicInteger n = connections.get(id);
                        if (n != null && n.get() > 0) {
                            in.setString(1, db.nodeId());
                            in.setString(2, id);
                            in.setInt(3, n.get());
                            in.setString(4, id);
                            in.addBatch();
                        }
                    }
                    del.executeBatch();
                    in.executeBatch();
                }
                return null;
            });
        } catch (RuntimeException e) {
            connectionsChanged.addAll(changed);
            throw e;
        }
    }

    private Optional<Entry> entry(String id) {
        return db.transaction("reading device " + id, c -> entry(c, id));
    }

    private static Optional<Entry> entry(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM devices WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(entry(r)) : Optional.empty();
            }
        }
    }

    private static Entry entry(ResultSet r) throws SQLException {
        long seen = r.getLong(9);
        boolean neverSeen = r.wasNull();
        return new Entry(r.getString(1), Instant.ofEpochMilli(r.getLong(2)), Base64.getDecoder().decode(r.getString(
                3)), Base64.getDecoder().decode(r.getString(4)), r.getString(5), r.getString(6), r.getString(7),
                r.getBoolean(8), neverSeen ? null : Instant.ofEpochMilli(seen), r.getLong(10));
    }

    private static byte[] hmac(byte[] salt, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
