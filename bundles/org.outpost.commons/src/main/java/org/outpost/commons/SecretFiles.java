/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Files and folders that hold secrets (keys, passwords) and must be the owner's alone: other users of the machine
 * (and processes running as them) may neither read nor list them. On a file system without POSIX permissions the
 * checks pass and the restrictions do nothing.
 *
 * <p>
 * A secret file whose permissions let its group or others in is refused rather than used: whoever could read it may
 * have copied the secret, and only the operator can decide to replace it. The message says what to do.
 */
public final class SecretFiles {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {
    }

    /**
     * Checks that a secret file exists, is a regular file, and is the owner's alone.
     *
     * @throws NoSuchFileException if it is not there
     * @throws IOException if its group or others may use it, or it is no regular file, saying what to do
     */
    public static void requireOwnerOnly(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " holds a secret but is not a regular file (a link or a folder): replace it"
                    + " with the file itself");
        }
        Set<PosixFilePermission> perms = permissions(file);
        if (perms != null && perms.stream().anyMatch(OTHERS::contains)) {
            throw new IOException(file + " holds a secret but its permissions are "
                    + PosixFilePermissions.toString(perms) + ": others may have read it. Make it the owner's alone"
                    + " (chmod 600 " + file + "), and replace the secret if someone else could have copied it");
        }
    }

    /**
     * @return the content of a secret file, after {@link #requireOwnerOnly}
     * @throws NoSuchFileException if it is not there
     * @throws IOException if it may not or cannot be read, saying why
     */
    public static byte[] read(Path file) throws IOException {
        requireOwnerOnly(file);
        try {
            return Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied (it must belong to the user the"
                    + " process runs as, with chmod 600)", e);
        }
    }

    /**
     * @return the entries of a secret properties file ({@code name = value} lines, Java properties syntax), in no
     *         particular order; empty if the file is not there
     * @throws IOException if it may not or cannot be read, saying why
     */
    public static Map<String, String> readProperties(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(read(file), StandardCharsets.UTF_8)));
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return out;
    }

    /**
     * Makes a folder (created with its parents if missing) the owner's alone: {@code rwx------}. Whatever is inside
     * is then out of reach of other users, whatever its own permissions.
     *
     * @return true if its permissions were wider and were narrowed
     */
    public static boolean restrictFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        return restrict(folder, "rwx------");
    }

    /**
     * Makes an existing file the owner's alone: {@code rw-------}.
     *
     * @return true if its permissions were wider and were narrowed
     */
    public static boolean restrictFile(Path file) throws IOException {
        return restrict(file, "rw-------");
    }

    private static boolean restrict(Path path, String wanted) throws IOException {
        Set<PosixFilePermission> perms = permissions(path);
        if (perms == null || perms.stream().noneMatch(OTHERS::contains)) {
            return false;
        }
        Set<PosixFilePermission> narrowed = EnumSet.copyOf(perms);
        narrowed.removeAll(OTHERS);
        narrowed.retainAll(PosixFilePermissions.fromString(wanted));
        Files.setPosixFilePermissions(path, narrowed);
        return true;
    }

    /** @return the POSIX permissions, or null on a file system without them */
    private static Set<PosixFilePermission> permissions(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notPosix) {
            return null;
        }
    }
}
