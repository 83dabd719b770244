/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.outpost.commons.AtomicFiles;
import org.outpost.commons.SecretFiles;
import org.outpost.protocol.DeviceScope;

/**
 * The device scope on disk, sealed with AES-256-GCM under a key of the gateway's own: the file (owner-only, replaced
 * atomically) is {@value #MAGIC} and the Base64 of a fresh random 96-bit nonce, the ciphertext of the scope's JSON and
 * the 128-bit tag, bound to {@value #CONTEXT}. The key is one line, the Base64 of {@value #KEY_BYTES} random bytes, in
 * an owner-only file (under {@code ${karaf.etc}/outpost-secrets/}) made at the first store. Like the hub's master key
 * (its SecretBox), a file that was changed, or sealed under another key, does not open: it is refused, never
 * half-read. No method names a key or the scope's content in a message.
 */
final class ScopeFile {

    static final String MAGIC = "outpost-scope-v1:";
    static final String CONTEXT = "org.outpost.downstream/device-scope";
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path file;
    private final Path keyFile;
    private final SecureRandom random;

    ScopeFile(Path file, Path keyFile, SecureRandom random) {
        this.file = file;
        this.keyFile = keyFile;
        this.random = random;
    }

    Path file() {
        return file;
    }

    Path keyFile() {
        return keyFile;
    }

    /**
     * @return the stored scope, empty if there is no file
     * @throws IOException if there is a file and it cannot be read or does not open (changed, another key, a key file
     *             missing or open to others), saying what to do
     */
    Optional<DeviceScope> load() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        SecretFiles.requireOwnerOnly(file);
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(MAGIC)) {
            throw unopened("it does not start with " + MAGIC);
        }
        if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            throw unopened("its key file " + keyFile + " is missing");
        }
        SecretKeySpec key = readKey();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.substring(MAGIC.length()));
        } catch (IllegalArgumentException e) {
            throw unopened("it is not Base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unopened("it is too short");
        }
        String json;
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(bytes, NONCE_BYTES));
            json = new String(c.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unopened("it was changed, or sealed under another key than " + keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available in this JVM: " + e, e);
        }
        try {
            return Optional.of(DeviceScope.parse(json));
        } catch (IllegalArgumentException e) {
            throw unopened("it opens but holds no device scope (" + e.getMessage() + ")");
        }
    }

    /** Seals and stores the scope (making the key first if there is none), replacing the file whole. */
    void store(DeviceScope scope) throws IOException {
        SecretKeySpec key = Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS) ? readKey() : createKey();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed;
        try {
            sealed = cipher(Cipher.ENCRYPT_MODE, key, nonce).doFinal(scope.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available in this JVM: " + e, e);
        }
        String text = MAGIC + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                .put(nonce).put(sealed).array()) + "\n";
        SecretFiles.restrictFolder(file.toAbsolutePath().getParent());
        AtomicFiles.writeOwnerOnly(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    private SecretKeySpec createKey() throws IOException {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        SecretFiles.restrictFolder(keyFile.toAbsolutePath().getParent());
        AtomicFiles.writeOwnerOnly(keyFile, (Base64.getEncoder().encodeToString(key) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        return new SecretKeySpec(key, "AES");
    }

    private SecretKeySpec readKey() throws IOException {
        String text = new String(SecretFiles.read(keyFile), StandardCharsets.US_ASCII).strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("the device scope's key " + keyFile + " is malformed: it is not Base64. Delete it"
                    + " and " + file + " together; the gateway makes a new key and asks the hub for its scope again");
        }
        if (key.length != KEY_BYTES) {
            throw new IOException("the device scope's key " + keyFile + " is malformed: it holds " + key.length
                    + " bytes, not " + KEY_BYTES + ". Delete it and " + file + " together; the gateway makes a new"
                    + " key and asks the hub for its scope again");
        }
        return new SecretKeySpec(key, "AES");
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(CONTEXT.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private IOException unopened(String why) {
        return new IOException("the stored device scope " + file + " is refused: " + why + ". The gateway runs with"
                + " no scope (children cannot connect) until it hears its scope from the hub again; if that keeps"
                + " failing, delete " + file);
    }
}
