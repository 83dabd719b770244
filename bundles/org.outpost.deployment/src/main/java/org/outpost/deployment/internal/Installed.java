/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.outpost.commons.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deployment service installed itself, kept across restarts in a file of its store
 * ({@code ${karaf.data}/outpost/deployment}), one {@code key<TAB>value} a line: for bundles, each location with the id
 * of the bundle installed there. The deployment service touches only what is written here, so a deployment naming a
 * bundle or a feature the gateway already has (its broker, by a typo) cannot remove it. Thread-safe.
 */
final class Installed {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final Path file;
    private final Map<String, String> entries = new TreeMap<>();

    Installed(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) {
                        entries.put(line.substring(0, tab), line.substring(tab + 1));
                    }
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot read {} ({}): the deployment service takes nothing as installed by it", file,
                    e.getMessage());
        }
    }

    /** @return whether {@code key} was installed by the deployment service, as {@code value} */
    synchronized boolean has(String key, String value) {
        return Objects.equals(entries.get(key), value);
    }

    /** Notes {@code key} as installed by the deployment service, as {@code value}, before this returns. */
    synchronized void add(String key, String value) throws IOException {
        String previous = entries.put(key, value);
        try {
            save();
        } catch (IOException e) {
            if (previous == null) {
                entries.remove(key);
            } else {
                entries.put(key, previous);
            }
            throw new IOException("cannot note what the deployment installed in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets {@code key}: it is not installed any more. */
    synchronized void remove(String key) {
        if (entries.remove(key) != null) {
            try {
                save();
            } catch (IOException e) {
                LOG.warn("Cannot note in {} that {} is no longer installed: {}", file, key, e.getMessage());
            }
        }
    }

    private void save() throws IOException {
        StringBuilder out = new StringBuilder();
        entries.forEach((k, v) -> out.append(k).append('\t').append(v).append('\n'));
        AtomicFiles.write(file, out.toString());
    }
}
