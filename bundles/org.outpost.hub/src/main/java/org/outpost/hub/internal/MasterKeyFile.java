/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.outpost.commons.AtomicFiles;
import org.outpost.commons.SecretFiles;

/**
 * The hub's master key in its file outside the database: one line, the Base64 of {@value SecretBox#KEY_BYTES} random
 * bytes, readable by the hub's user only. Created at the first start (owner-only from its first byte); afterwards
 * read, and refused (the hub does not start) when it is unreadable, malformed, or open to the group or others.
 */
final class MasterKeyFile {

    /** Whether the file was there or was created now. */
    record Loaded(byte[] key, boolean created) {
    }

    private MasterKeyFile() {
    }

    /**
     * @return the master key in the file, created first if there is none
     * @throws IllegalStateException if it cannot be used, saying what to do
     */
    static Loaded loadOrCreate(Path file, SecureRandom random) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] key = new byte[SecretBox.KEY_BYTES];
            random.nextBytes(key);
            try {
                AtomicFiles.writeOwnerOnly(file, (Base64.getEncoder().encodeToString(key) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the hub's master key " + file + ": " + e.getMessage()
                        + "; make its folder writable by the hub's user, or set master.key.file in"
                        + " etc/org.outpost.hub.cfg", e);
            }
            return new Loaded(key, true);
        }
        String text;
        try {
            text = new String(SecretFiles.read(file), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("the hub's master key cannot be used: " + e.getMessage(), e);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed(file, "it is not Base64");
        }
        if (key.length != SecretBox.KEY_BYTES) {
            throw malformed(file, "it holds " + key.length + " bytes, not " + SecretBox.KEY_BYTES);
        }
        return new Loaded(key, false);
    }

    private static IllegalStateException malformed(Path file, String why) {
        return new IllegalStateException("the hub's master key " + file + " is malformed: " + why + ". Put back the"
                + " file this hub (or another node of its cluster) created: without it the keys in the database"
                + " cannot be read");
    }
}
