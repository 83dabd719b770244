/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The devices' credentials: new keys, the salted HMAC-SHA256 of a primary key that a plain key given as a password is
 * checked against, the keys themselves (SAS tokens are signed with them, so they are kept, as IoT Hub keeps device
 * keys), key rotation and X.509 thumbprints. Reads and writes them through the {@link DeviceRepository}.
 */
final class DeviceKeys {

    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-F]{40}|[0-9A-F]{64}");

    /** A primary key with its salt and the HMAC-SHA256 of the key under the salt. */
    record Hashed(byte[] salt, byte[] hash, String key) {
    }

    private final SecureRandom random = new SecureRandom();
    private final DeviceRepository repository;

    DeviceKeys(DeviceRepository repository) {
        this.repository = repository;
    }

    /** @return a new random key (32 bytes, URL-safe Base64 without padding) */
    String newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** @return the key with a new salt and its hash under that salt */
    Hashed hash(String key) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Hashed(salt, hmac(salt, key), key);
    }

    /**
     * Checks a key that is given (in an import) rather than generated.
     *
     * @param at where the key was given, for the error
     * @return the key
     * @throws IllegalArgumentException if it is not Base64 of 16 to 64 bytes
     */
    static String checkGiven(String key, String at) {
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

    /**
     * Gives a device a new primary or secondary key; the old one no longer verifies.
     *
     * @return the new key
     * @throws IllegalArgumentException if there is no such device
     */
    String rotate(String id, boolean secondary) {
        String key = newKey();
        Hashed hashed = hash(key);
        boolean found = secondary ? repository.setSecondaryKey(id, key) : repository.setPrimaryKey(id, hashed);
        if (!found) {
            throw noDevice(id);
        }
        return key;
    }

    /** @return true if {@code key} is the device's primary or secondary key */
    boolean verify(String id, String key) {
        if (key == null) {
            return false;
        }
        return repository.find(id).map(row -> matches(row, key)).orElse(false);
    }

    /** @return true if {@code key} is the row's primary key (by its hash) or its secondary key */
    boolean matches(DeviceRepository.Row row, String key) {
        String secondary = repository.secondaryKey(row).orElse(null);
        return MessageDigest.isEqual(row.hash(), hmac(row.salt(), key)) | (secondary != null && MessageDigest
                .isEqual(secondary.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @return the device's key, to check a SAS token with; empty if the device is unknown or was registered before
     *         keys were kept (rotate its key to use SAS tokens)
     */
    Optional<String> key(String id) {
        return repository.find(id).flatMap(repository::key);
    }

    /** @return the device's secondary key, if it has one */
    Optional<String> secondaryKey(String id) {
        return repository.find(id).flatMap(repository::secondaryKey);
    }

    /** @return the thumbprint of the device's X.509 certificate, if it has one */
    Optional<String> thumbprint(String id) {
        return repository.find(id).map(DeviceRepository.Row::thumbprint);
    }

    /**
     * Sets (or, with null, removes) the thumbprint of the device's X.509 certificate.
     *
     * @throws IllegalArgumentException if it is not a SHA-1 or SHA-256 thumbprint, or there is no such device
     */
    void setThumbprint(String id, String thumbprint) {
        if (!repository.setThumbprint(id, normaliseThumbprint(thumbprint))) {
            throw noDevice(id);
        }
    }

    /**
     * @return the thumbprint in upper-case hex without colons (null for null)
     * @throws IllegalArgumentException if it is not 40 or 64 hex digits then
     */
    static String normaliseThumbprint(String thumbprint) {
        String t = thumbprint == null ? null : thumbprint.replace(":", "").toUpperCase(Locale.ROOT);
        if (t != null && !THUMBPRINT.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + thumbprint + "' is not a certificate thumbprint: give the"
                    + " SHA-256 (64 hex digits) or SHA-1 (40) fingerprint, e.g. from openssl x509 -noout"
                    + " -fingerprint -sha256 -in device.crt");
        }
        return t;
    }

    static IllegalArgumentException noDevice(String id) {
        return new IllegalArgumentException("no device '" + id + "'");
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
