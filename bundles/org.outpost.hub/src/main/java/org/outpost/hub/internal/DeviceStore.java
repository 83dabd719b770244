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
 * {@code id=createdMillis:salt:hmac:key}, where hmac is HMAC-SHA256 of the key under the salt (a plain key given as a
 * password is checked against it) and the key itself is kept to check SAS tokens, which are signed with it (as IoT
 * Hub keeps device keys). The file is readable by the hub's user only. Entries written before keys were kept have no
 * key: their devices authenticate with the plain key until it is rotated. Writes go to a temporary file that replaces
 * the old one atomically.
 */
@Component(service = {DeviceRegistry.class, DeviceStore.class})
public final class DeviceStore implements DeviceRegistry {

    /**
     * @param key the device key, or null for an entry written before keys were kept (it has only the hash)
     * @param thumbprint the SHA-1 or SHA-256 thumbprint (upper-case hex) of the device's X.509 certificate, or null
     */
    private record Entry(Instant created, byte[] salt, byte[] hash, String key, String thumbprint) {
        Entry withThumbprint(String t) {
            return new Entry(created, salt, hash, key, t);
        }
    }

    private static final java.util.regex.Pattern THUMBPRINT = java.util.regex.Pattern.compile(
            "[0-9A-F]{40}|[0-9A-F]{64}");

    private final SecureRandom random = new SecureRandom();
    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> messages = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<String>> deleteListeners =
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
            String[] parts = eq < 0 ? new String[0] : line.substring(eq + 1).split(":");
            if (parts.length < 3 || parts.length > 5) {
                throw new IOException(file + ":" + lineNumber + ": expected id=created:salt:hash[:key[:thumbprint]]");
            }
            entries.put(line.substring(0, eq), new Entry(Instant.ofEpochMilli(Long.parseLong(parts[0])),
                    Base64.getDecoder().decode(parts[1]), Base64.getDecoder().decode(parts[2]),
                    parts.length >= 4 && !parts[3].isEmpty() ? parts[3] : null,
                    parts.length == 5 && !parts[4].isEmpty() ? parts[4] : null));
        }
    }

    private void save() {
        List<String> lines = new ArrayList<>();
        lines.add("# Outpost hub device registry: id=createdMillis:salt:hmac-sha256(key):key[:x509 thumbprint]. The key"
                + " is kept to check SAS tokens; only the hub's user may read this file.");
        entries.forEach((id, e) -> lines.add(id + "=" + e.created().toEpochMilli() + ":"
                + Base64.getEncoder().encodeToString(e.salt()) + ":" + Base64.getEncoder().encodeToString(e.hash())
                + (e.key() == null && e.thumbprint() == null ? "" : ":" + (e.key() == null ? "" : e.key()))
                + (e.thumbprint() == null ? "" : ":" + e.thumbprint())));
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
        return new Device(id, entries.get(id).created(), lastSeen.get(id), n == null ? 0 : n.get());
    }

    @Override
    public synchronized String create(String id) {
        ModuleNames.require("device id", id);
        if (entries.containsKey(id)) {
            throw new IllegalArgumentException("device '" + id + "' is already registered; use rotate-key to give it a"
                    + " new key");
        }
        return setKey(id, Instant.now());
    }

    @Override
    public synchronized String rotateKey(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no device '" + id + "'");
        }
        return setKey(id, e.created());
    }

    private String setKey(String id, Instant created) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Entry old = entries.get(id);
        Entry previous = entries.put(id, new Entry(created, salt, hmac(salt, text), text,
                old == null ? null : old.thumbprint()));
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
        for (java.util.function.Consumer<String> l : deleteListeners) {
            try {
                l.accept(id);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DeviceStore.class).warn("Cleaning up after device {} failed: {}",
                        id, e.toString());
            }
        }
        return true;
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

    /** @return true if {@code key} is the device's current key */
    boolean verify(String id, String key) {
        Entry e;
        synchronized (this) {
            e = entries.get(id);
        }
        if (e == null || key == null) {
            return false;
        }
        boolean ok = MessageDigest.isEqual(e.hash(), hmac(e.salt(), key));
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
