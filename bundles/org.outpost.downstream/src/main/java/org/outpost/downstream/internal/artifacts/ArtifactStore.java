/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.ops4j.pax.url.mvn.MavenResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the files a child asks for come from: the gateway's own repository folders first (Karaf's {@code system/}, the
 * local repository), then pax-url's resolver (the gateway's {@code org.ops4j.pax.url.mvn} configuration: its default
 * repositories, local repository and remote repositories, which may be this gateway's own parent), which fetches what
 * is missing and keeps it in the local repository. Checksums are made from the file when no checksum file is there.
 */
final class ArtifactStore {

    /** A file to send: on disk, or made here (a checksum). */
    record Found(Path file, byte[] bytes, String source) {
        long length() throws IOException {
            return file != null ? Files.size(file) : bytes.length;
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new java.io.ByteArrayInputStream(bytes);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final Map<String, String> DIGESTS = Map.of("sha1", "SHA-1", "md5", "MD5", "sha256", "SHA-256",
            "sha512", "SHA-512");

    private final List<Path> roots;
    private final Supplier<MavenResolver> resolver;
    private final boolean fetch;

    /**
     * @param roots repository folders served as they are
     * @param resolver pax-url's resolver now, or null while there is none
     * @param fetch whether to ask the resolver for what the folders lack
     */
    ArtifactStore(List<Path> roots, Supplier<MavenResolver> resolver, boolean fetch) {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.resolver = resolver;
        this.fetch = fetch;
    }

    /** @return the file, or empty if no repository has it (and it could not be fetched) */
    Optional<Found> find(ArtifactPath path) throws IOException {
        Optional<Path> onDisk = onDisk(path);
        if (onDisk.isPresent()) {
            return onDisk.map(p -> new Found(p, null, "disk"));
        }
        if (path.checksum() != null) {
            Optional<Found> file = find(path.withoutChecksum());
            if (file.isPresent()) {
                return Optional.of(new Found(null, digest(file.get(), path.checksum()), file.get().source()));
            }
            return Optional.empty();
        }
        if (path.isMetadata() || !fetch) {
            // Metadata is served as the folders have it: pax-url keeps its own under other names.
            return Optional.empty();
        }
        MavenResolver r = resolver.get();
        if (r == null) {
            return Optional.empty();
        }
        try {
            File f = r.resolve(path.groupId(), path.artifactId(), path.classifier() == null ? "" : path.classifier(),
                    path.extension(), path.fileVersion());
            return f != null && f.isFile() ? Optional.of(new Found(f.toPath(), null, "fetched")) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.info("Artifacts: {} is not in this gateway's repositories and could not be fetched ({}); check"
                    + " org.ops4j.pax.url.mvn.repositories in etc/org.ops4j.pax.url.mvn.cfg", path.mvnUrl(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** A file under one of the roots (also after following links), never outside them. */
    private Optional<Path> onDisk(ArtifactPath path) throws IOException {
        for (Path root : roots) {
            Path f = root.resolve(path.relative()).normalize();
            if (!f.startsWith(root) || !Files.isRegularFile(f)) {
                continue;
            }
            if (f.toRealPath().startsWith(root.toRealPath())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static byte[] digest(Found file, String algorithm) throws IOException {
        try (InputStream in = file.open()) {
            MessageDigest d = MessageDigest.getInstance(DIGESTS.get(algorithm));
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                d.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(d.digest()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not in this JVM", e);
        }
    }
}
