/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outpost.api.module.ModuleNames;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;

/**
 * The device registry, persisted in {@code ${karaf.data}/outpost/hub/devices.properties}: one line per device,
 * {@code id=createdMillis:salt:hmac:key:thumbprint:secondaryKey:disabled}, where hmac is HMAC-SHA256 of the primary key
 * under the salt (a plain key given as a password is checked against it) and the keys themselves are kept to check
 * SAS tokens, which are signed with them (as IoT Hub keeps device keys). Trailing fields may be missing (lines written
 * by earlier versions); entries written before keys were kept have only the hash: their devices authenticate with the
 * plain key until it is rotated. The file is readable by the hub's user only. Writes go to a temporary file that
 * replaces the old one atomically.
 */
@Component(service = {DeviceRegistry.class, DeviceStore.class})
public final class DeviceStore implements DeviceRegistry {

    /**
     * @param key the primary key, or null for an entry written before keys were kept (it has only the hash)
     * @param thumbprint the SHA-1 or SHA-256 thumbprint (upper-case hex) of the device's X.509 certificate, or null
     * @param secondary the secondary key, or null
     */
    private record Entry(Instant created, byte[] salt, byte[] hash, String key, String thumbprint, String secondary,
            boolean disabled) {
        Entry withThumbprint(String t) {
            return new Entry(created, salt, hash, key, t, secondary, disabled);
        }

        Entry withSecondary(String k) {
            return new Entry(created, salt, hash, key, thumbprint, k, disabled);
        }

        Entry withDisabled(boolean d) {
            return new Entry(created, salt, hash, key, thumbprint, secondary, d);
        }
    }

    private static final java.util.regex.Pattern THUMBPRINT = java.util.regex.Pattern.compile(
            "[0-9A-F]{40}|[0-9A-F]{64}");

    private final SecureRandom random = new SecureRandom();
    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> messages = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> connections = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<String>> deleteListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> createListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> disableListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    @Activate
    public DeviceStore(BundleContext context) throws IOException {
        String data = context.getProperty("karaf.data");
        this.file = Path.of(data == null ? "data" : data, "outpost", "hub", "devices.properties");
        load();
    }

    DeviceStore(Path file) throws IOException {
        this.file = file;
        load();
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String[] parts = eq < 0 ? new String[0] : line.substring(eq + 1).split(":", -1);
            if (parts.length < 3 || parts.length > 7) {
                throw new IOException(file + ":" + lineNumber + ": expected"
                        + " id=created:salt:hash[:key[:thumbprint[:secondaryKey[:disabled]]]]");
            }
            entries.put(line.substring(0, eq), new Entry(Instant.ofEpochMilli(Long.parseLong(parts[0])),
                    Base64.getDecoder().decode(parts[1]), Base64.getDecoder().decode(parts[2]), field(parts, 3),
                    field(parts, 4), field(parts, 5), "disabled".equals(field(parts, 6))));
        }
    }

    private static String field(String[] parts, int i) {
        return parts.length > i && !parts[i].isEmpty() ? parts[i] : null;
    }

    private void save() {
        List<String> lines = new ArrayList<>();
        lines.add("# Outpost hub device registry: id=createdMillis:salt:hmac-sha256(key):key:x509 thumbprint:secondary"
                + " key:disabled. The keys are kept to check SAS tokens; only the hub's user may read this file.");
        entries.forEach((id, e) -> lines.add(id + "=" + e.created().toEpochMilli() + ":"
                + Base64.getEncoder().encodeToString(e.salt()) + ":" + Base64.getEncoder().encodeToString(e.hash())
                + ":" + Objects.toString(e.key(), "") + ":" + Objects.toString(e.thumbprint(), "") + ":"
                + Objects.toString(e.secondary(), "") + ":" + (e.disabled() ? "disabled" : "")));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its own access rules apply.
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the device registry to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<Device> devices() {
        return entries.keySet().stream().map(this::toDevice).toList();
    }

    @Override
    public synchronized Optional<Device> device(String id) {
        return entries.containsKey(id) ? Optional.of(toDevice(id)) : Optional.empty();
    }

    private Device toDevice(String id) {
        AtomicLong n = messages.get(id);
        java.util.concurrent.atomic.AtomicInteger c = connections.get(id);
        Entry e = entries.get(id);
        return new Device(id, e.created(), lastSeen.get(id), n == null ? 0 : n.get(), !e.disabled(),
                c == null ? 0 : c.get(), e.secondary() != null);
    }

    @Override
    public String create(String id) {
        String key;
        synchronized (this) {
            ModuleNames.require("device id", id);
            if (entries.containsKey(id)) {
                throw new IllegalArgumentException("device '" + id + "' is already registered; use rotate-key to"
                        + " give it a new key");
            }
            key = setKey(id, Instant.now());
        }
        notify(createListeners, id, "registering");
        return key;
    }

    @Override
    public Map<String, String> importDevices(List<org.outpost.hub.api.NewDevice> devices) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        synchronized (this) {
            Map<String, Entry> made = new java.util.LinkedHashMap<>();
            Instant now = Instant.now();
            for (int i = 0; i < devices.size(); i++) {
                org.outpost.hub.api.NewDevice d = devices.get(i);
                String at = "device " + (i + 1) + " ('" + d.id() + "')";
                if (!ModuleNames.isValid(d.id())) {
                    throw new IllegalArgumentException(at + ": not a device id (letters, digits, '-', '_')");
                }
                if (entries.containsKey(d.id()) || made.containsKey(d.id())) {
                    throw new IllegalArgumentException(at + ": already registered" + (made.containsKey(d.id())
                            ? " earlier in this import" : ""));
                }
                String key = d.primaryKey() == null ? newKey() : checkKey(d.primaryKey(), at + ": primaryKey");
                String secondary = d.secondaryKey() == null ? null : checkKey(d.secondaryKey(), at
                        + ": secondaryKey");
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                made.put(d.id(), new Entry(now, salt, hmac(salt, key), key, null, secondary, false));
                keys.put(d.id(), key);
            }
            entries.putAll(made);
            try {
                save();
            } catch (IllegalStateException e) {
                made.keySet().forEach(entries::remove);
                throw e;
            }
        }
        org.slf4j.LoggerFactory.getLogger(DeviceStore.class).info("{} device(s) imported", keys.size());
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
    public synchronized String rotateKey(String id, boolean secondary) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no device '" + id + "'");
        }
        if (!secondary) {
            return setKey(id, e.created());
        }
        String key = newKey();
        entries.put(id, e.withSecondary(key));
        try {
            save();
        } catch (IllegalStateException ex) {
            entries.put(id, e);
            throw ex;
        }
        return key;
    }

    @Override
    public void setEnabled(String id, boolean enabled) {
        synchronized (this) {
            Entry e = entries.get(id);
            if (e == null) {
                throw new IllegalArgumentException("no device '" + id + "'");
            }
            if (e.disabled() != enabled) {
                return;
            }
            entries.put(id, e.withDisabled(!enabled));
            try {
                save();
            } catch (IllegalStateException ex) {
                entries.put(id, e);
                throw ex;
            }
        }
        org.slf4j.LoggerFactory.getLogger(DeviceStore.class).info("Device {} {}", id, enabled ? "enabled"
                : "disabled");
        if (!enabled) {
            notify(disableListeners, id, "disabling");
        }
    }

    /** @return true if the device is registered and not disabled */
    synchronized boolean enabled(String id) {
        Entry e = entries.get(id);
        return e != null && !e.disabled();
    }

    private String newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private String setKey(String id, Instant created) {
        String text = newKey();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Entry old = entries.get(id);
        Entry previous = entries.put(id, new Entry(created, salt, hmac(salt, text), text,
                old == null ? null : old.thumbprint(), old == null ? null : old.secondary(),
                old != null && old.disabled()));
        try {
            save();
        } catch (IllegalStateException e) {
            if (previous == null) {
                entries.remove(id);
            } else {
                entries.put(id, previous);
            }
            throw e;
        }
        return text;
    }

    @Override
    public boolean delete(String id) {
        synchronized (this) {
            Entry removed = entries.remove(id);
            if (removed == null) {
                return false;
            }
            try {
                save();
            } catch (IllegalStateException e) {
                entries.put(id, removed);
                throw e;
            }
        }
        // Outside this store's lock: listeners take their own (the twin store asks this store while it holds it).
        lastSeen.remove(id);
        messages.remove(id);
        notify(deleteListeners, id, "deleting");
        return true;
    }

    private static void notify(List<java.util.function.Consumer<String>> listeners, String id, String what) {
        for (java.util.function.Consumer<String> l : listeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DeviceStore.class).warn("A listener failed after {} device {}: {}",
                        what, id, e.toString());
            }
        }
    }

    /** Hears of registered devices (after they are stored). */
    Runnable onCreate(java.util.function.Consumer<String> listener) {
        createListeners.add(listener);
        return () -> createListeners.remove(listener);
    }

    /** Hears of disabled devices, so that their connections are closed. */
    Runnable onDisable(java.util.function.Consumer<String> listener) {
        disableListeners.add(listener);
        return () -> disableListeners.remove(listener);
    }

    /** Counts a connection of the device (or of one of its modules) opening or closing. */
    void connection(String id, boolean open) {
        if (open) {
            connections.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        } else {
            connections.computeIfPresent(id, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /**
     * Hears of deleted devices, so that what is kept for them (twins, messages, connections) goes with them.
     *
     * @return stops listening (when the listener's component stops)
     */
    Runnable onDelete(java.util.function.Consumer<String> listener) {
        deleteListeners.add(listener);
        return () -> deleteListeners.remove(listener);
    }

    /** @return true if {@code key} is the device's primary or secondary key */
    boolean verify(String id, String key) {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        if (e == null || key == null) {
            return false;
        }
        boolean ok = MessageDigest.isEqual(e.hash(), hmac(e.salt(), key)) | (e.secondary() != null
                && MessageDigest.isEqual(e.secondary().getBytes(StandardCharsets.UTF_8),
                        key.getBytes(StandardCharsets.UTF_8)));
        if (ok) {
            lastSeen.put(id, Instant.now());
        }
        return ok;
    }

    /**
     * @return the device's key, to check a SAS token with; empty if the device is unknown or was registered before
     *         keys were kept (rotate its key to use SAS tokens)
     */
    Optional<String> key(String id) {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        return e == null ? Optional.empty() : Optional.ofNullable(e.key());
    }

    /** @return the device's secondary key, if it has one */
    Optional<String> secondaryKey(String id) {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        return e == null ? Optional.empty() : Optional.ofNullable(e.secondary());
    }

    @Override
    public synchronized void setThumbprint(String id, String thumbprint) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no device '" + id + "'");
        }
        String t = thumbprint == null ? null : thumbprint.replace(":", "").toUpperCase(java.util.Locale.ROOT);
        if (t != null && !THUMBPRINT.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + thumbprint + "' is not a certificate thumbprint: give the"
                    + " SHA-256 (64 hex digits) or SHA-1 (40) fingerprint, e.g. from openssl x509 -noout"
                    + " -fingerprint -sha256 -in device.crt");
        }
        entries.put(id, e.withThumbprint(t));
        try {
            save();
        } catch (IllegalStateException ex) {
            entries.put(id, e);
            throw ex;
        }
    }

    /** @return the thumbprint of the device's X.509 certificate, if it has one */
    synchronized Optional<String> thumbprint(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.ofNullable(e.thumbprint());
    }

    /** Notes that a device authenticated. */
    void seen(String id) {
        lastSeen.put(id, Instant.now());
    }

    /** Counts a telemetry message from a device. */
    void received(String id) {
        lastSeen.put(id, Instant.now());
        messages.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
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
