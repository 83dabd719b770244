/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.api.module.ModuleNames;
import org.outpost.commons.AtomicFiles;
import org.outpost.protocol.TwinDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module twins, one file each, {@code <dir>/<module>.json}:
 * {@code {"twin": {"desired": ..., "reported": ...}, "applied": {...}, "appliedVersion": n}}. Each file is replaced
 * whole or not at all ({@link AtomicFiles}); all are read when the repository is made, and kept in memory.
 */
final class TwinRepository {

    private static final Logger LOG = LoggerFactory.getLogger(TwinRepository.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, StoredTwin> twins = new ConcurrentHashMap<>();

    /**
     * Reads the twins in {@code dir} (made if missing). A file that cannot be read is logged, and its module starts
     * empty: the cloud has its twin.
     */
    TwinRepository(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json") && ModuleNames.isValid(name.substring(0, name.length() - 5))) {
                    load(name.substring(0, name.length() - 5), f);
                }
            }
        }
    }

    /** @return the modules that have a twin here */
    Set<String> modules() {
        return Set.copyOf(twins.keySet());
    }

    /** @return whether the module has a twin here */
    boolean has(String module) {
        return twins.containsKey(module);
    }

    /** @return the module's twin, {@link StoredTwin#empty()} if it has none yet */
    StoredTwin get(String module) {
        return twins.getOrDefault(module, StoredTwin.empty());
    }

    /**
     * Stores a module's twin (written in full, forced to disk, then moved over the old file).
     *
     * @throws UncheckedIOException if it cannot be written; the twin kept in memory is then the old one
     */
    void save(String module, StoredTwin twin) {
        ObjectNode root = JSON.createObjectNode();
        try {
            root.set("twin", JSON.readTree(twin.twin().toJson()));
            root.set("applied", JSON.readTree(twin.applied()));
            root.put("appliedVersion", twin.appliedVersion());
            AtomicFiles.write(dir.resolve(module + ".json"), root.toString());
            twins.put(module, twin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the twin of " + module + " in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private void load(String module, Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            twins.put(module, new StoredTwin(TwinDocument.parse(root.path("twin").toString()),
                    root.path("applied").toString(), root.path("appliedVersion").asLong(0)));
        } catch (IOException | RuntimeException e) {
            LOG.error("The twin of module {} in {} cannot be read ({}); it starts empty and is read again from the"
                    + " cloud", module, file, e.toString());
        }
    }
}
