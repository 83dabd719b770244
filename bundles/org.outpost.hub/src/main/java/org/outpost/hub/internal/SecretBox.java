/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets (device and module keys) for the database with AES-256-GCM under the hub's master key, which is kept
 * outside the database ({@link MasterKeyFile}). A sealed value is {@value #PREFIX} and the Base64 of a fresh random
 * 96-bit nonce, the ciphertext and the 128-bit tag. Each value is bound to where it belongs (its context, e.g.
 * {@code device/d1/primary}, authenticated but not stored): a value copied to another row or column does not open.
 *
 * <p>
 * Random nonces from {@link SecureRandom} are never reused in practice: the chance of a repeat stays below 2^-32 for
 * the first 2^32 values sealed under one key, far more keys than a hub holds; and every hub node sharing the master key
 * seals with its own random nonces, with no counter to keep in step.
 */
final class SecretBox {

    /** What a sealed value starts with (a key in Base64 never has a ':'). */
    static final String PREFIX = "sb1:";
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    /** @param key the master key, {@value #KEY_BYTES} bytes (copied) */
    SecretBox(byte[] key) {
        this(key, new SecureRandom());
    }

    SecretBox(byte[] key, SecureRandom random) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a master key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, KEY_BYTES), "AES");
        this.random = random;
    }

    /** @return true if the value was sealed (null and plain values are not) */
    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * @param secret what to seal (null stays null)
     * @param context where it is kept, e.g. {@code device/d1/primary}: opening needs the same
     * @return the sealed value
     */
    String seal(String secret, String context) {
        if (secret == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e, e);
        }
    }

    /**
     * @param sealed a value {@link #seal} made (null stays null)
     * @param context where it is kept, as it was sealed
     * @return the secret
     * @throws IllegalStateException if it is not a sealed value, or it does not open: it was changed, moved from
     *             another context, or sealed under another master key (the message names the context, never the value)
     */
    String open(String sealed, String context) {
        if (sealed == null) {
            return null;
        }
        if (!isSealed(sealed)) {
            throw new IllegalStateException(context + " is stored unsealed in the database: the hub seals every key"
                    + " at start, so it was written by something else; set a new key (rotate it)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw unopened(context, "it is not Base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unopened(context, "it is too short");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), context);
            return new String(c.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unopened(context, "it was changed, copied from elsewhere, or sealed under another master key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e, e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private static IllegalStateException unopened(String context, String why) {
        return new IllegalStateException("the sealed secret of " + context + " does not open with this hub's master"
                + " key: " + why);
    }
}
