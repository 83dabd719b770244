/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the workload API's unix sockets are: one per module, {@code <dir>/<moduleId>.sock}, as IoT Edge 1.2 and later
 * gives each module its own socket, so the socket a request arrives on says which module asks. A unix socket's path
 * is limited to 107 bytes on Linux; when the configured folder makes a path longer than {@value #MAX_PATH_BYTES}, the
 * sockets go to {@code /tmp/outpost-workload-<hash of the folder>} instead (the system's {@code /tmp}, not
 * {@code java.io.tmpdir}, which Karaf sets to a folder under {@code ${karaf.data}} that is as deep as the first).
 */
final class WorkloadSockets {

    /** The longest socket path used (Linux allows 107 bytes plus the terminating zero). */
    static final int MAX_PATH_BYTES = 100;

    /** The longest module id (IoT Hub's limit on a module id). */
    static final int MAX_MODULE_ID = 128;

    /** Where sockets go when the configured folder is too deep: short on every Linux. */
    static final Path SYSTEM_TMP = Path.of("/tmp");

    private final Path dir;

    /** @param configured the configured folder of the sockets */
    WorkloadSockets(Path configured) {
        Path abs = configured.toAbsolutePath().normalize();
        // Sized for a typical module id; longer ids fall back on their own in socket().
        this.dir = fits(abs, 32) ? abs : SYSTEM_TMP.resolve("outpost-workload-" + shortHash(abs.toString()));
    }

    /** @return the folder the sockets are in */
    Path dir() {
        return dir;
    }

    /** @return the socket of the module */
    Path socket(String moduleId) {
        Path p = dir.resolve(moduleId + ".sock");
        return p.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES ? p
                : dir.resolve("m-" + shortHash(moduleId) + ".sock");
    }

    private static boolean fits(Path dir, int idBytes) {
        return dir.toString().getBytes(StandardCharsets.UTF_8).length + 1 + idBytes + ".sock".length()
                <= MAX_PATH_BYTES;
    }

    private static String shortHash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(
                    StandardCharsets.UTF_8)), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
