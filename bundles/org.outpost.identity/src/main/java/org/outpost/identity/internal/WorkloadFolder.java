/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of the workload sockets, owner-only: the folder 0700, each socket 0600, so that no other user of the
 * host can reach a module's socket (a socket is briefly as the umask makes it between its creation and its chmod, but
 * inside a folder nobody else may enter). A folder that is a link or belongs to another user (possible for the
 * fallback under {@code /tmp}) is refused.
 */
final class WorkloadFolder {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadService.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final WorkloadSockets sockets;

    WorkloadFolder(WorkloadSockets sockets) {
        this.sockets = sockets;
    }

    Path dir() {
        return sockets.dir();
    }

    Path socket(String module) {
        return sockets.socket(module);
    }

    /** Makes the folder if it is missing and makes it owner-only. */
    void prepare() throws IOException {
        Path dir = sockets.dir();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
            } catch (FileAlreadyExistsException e) {
                LOG.debug("Workload API: {} was made meanwhile", dir);
            }
        }
        BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException(dir + " is not a folder" + (attributes.isSymbolicLink() ? " but a link" : "")
                    + "; remove it, or configure another workload.dir (PID org.outpost.identity)");
        }
        if (!POSIX) {
            return;
        }
        Path probe = Files.createTempFile(dir, ".owner", null);
        try {
            UserPrincipal me = Files.getOwner(probe);
            UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
            if (!me.equals(owner)) {
                throw new IOException(dir + " belongs to " + owner.getName() + ", not to the gateway's user "
                        + me.getName() + "; remove it, or configure another workload.dir (PID org.outpost.identity)");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Deletes what is left at a socket's path, a socket from a gateway that crashed; refuses a folder there. */
    void removeStale(Path socket) throws IOException {
        if (Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(socket + " is a folder; remove it");
        }
        if (Files.deleteIfExists(socket)) {
            LOG.info("Workload API: replaced the stale socket {}", socket);
        }
    }

    /** Makes a socket's file owner-only. */
    void ownerOnly(Path socket) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** Deletes a socket's file, if it is there. */
    void delete(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("Workload API: cannot delete the socket {}: {}", socket, e.toString());
        }
    }
}
