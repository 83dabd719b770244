/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.outpost.commons.AtomicFiles;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ManifestParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deployment service keeps across restarts, in {@code ${karaf.data}/outpost/deployment}: the last good
 * deployment as it was given ({@code current.json}) and the version of the last deployment given, applied or not
 * ({@code desired-version}). Both are replaced whole or not at all.
 */
final class DeploymentStore {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path currentFile;
    private final Path versionFile;

    DeploymentStore(Path directory) {
        this.currentFile = directory.resolve("current.json");
        this.versionFile = directory.resolve("desired-version");
    }

    /** @return whether a good deployment was kept: this gateway has had one */
    boolean hasCurrent() {
        return Files.exists(currentFile);
    }

    /** @return the last good deployment as it was given, or null if there is none */
    String readCurrent() throws IOException {
        return hasCurrent() ? Files.readString(currentFile) : null;
    }

    /** @return the last good deployment (kept across restarts), or an empty one */
    DeploymentManifest loadCurrent(ManifestParser parser) {
        if (hasCurrent()) {
            try {
                return parser.parse(Files.readString(currentFile));
            } catch (IOException | ManifestException e) {
                LOG.error("The last good deployment in {} cannot be read ({}); starting from none", currentFile,
                        e.getMessage());
            }
        }
        return empty();
    }

    static DeploymentManifest empty() {
        return new DeploymentManifest("1.1", List.of(), Map.of(), null, Map.of());
    }

    /** Keeps a deployment just applied as the last good one. */
    void saveCurrent(String manifestJson) throws IOException {
        // Owner-only: the manifest may hold registry credentials.
        AtomicFiles.writeOwnerOnly(currentFile, manifestJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @return the version of the last deployment given, or 0 if none was (or it cannot be read) */
    long readVersion() {
        try {
            return Files.exists(versionFile) ? Long.parseLong(Files.readString(versionFile).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Ignoring {}: {}", versionFile, e.getMessage());
            return 0;
        }
    }

    /**
     * Keeps the version of a deployment given to the gateway: its {@code $edgeAgent} desired {@code $version} (as the
     * cloud sets it), or one more than the last.
     *
     * @return that version
     */
    long noteVersion(String manifestJson, long last) {
        long version = versionOf(manifestJson, last);
        try {
            AtomicFiles.write(versionFile, Long.toString(version));
        } catch (IOException e) {
            LOG.warn("Cannot keep the deployment version in {}: {}", versionFile, e.getMessage());
        }
        return version;
    }

    /** @return the manifest's {@code $edgeAgent} desired {@code $version}, or one more than {@code last} */
    static long versionOf(String manifestJson, long last) {
        try {
            JsonNode v = JSON.readTree(manifestJson).at("/modulesContent/$edgeAgent/properties.desired/$version");
            if (v.canConvertToLong() && v.isIntegralNumber()) {
                return v.longValue();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: the parser says why; the version still counts.
        }
        return last + 1;
    }
}
