/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.outpost.commons.AtomicFiles;

/** The API token the hub made at first start, kept in a file readable by the hub's user only. */
final class TokenFile {

    /** Random bytes of a new token: 43 characters in Base64. */
    private static final int BYTES = 32;

    private TokenFile() {
    }

    /**
     * @return the token in the file (without surrounding white space, possibly empty), or a new random one written
     *         there: whole or not at all, owner-only from its first byte
     */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        AtomicFiles.writeOwnerOnly(file, (t + "\n").getBytes(StandardCharsets.UTF_8));
        return t;
    }
}
