/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.outpost.commons.AtomicFiles;

/**
 * The module identities' file ({@code ${karaf.data}/outpost/identities/modules.json}): owner-only, in an owner-only
 * folder, replaced whole at every change. It holds keys, so neither it nor a part of it is ever logged; a file that
 * cannot be read is reported with what to do, never replaced.
 */
final class IdentityFile {

    /** One module's identity as stored. */
    record Entry(String generationId, String primaryKey, String secondaryKey, Instant created, boolean registered) {
        Entry withRegistered(boolean held) {
            return new Entry(generationId, primaryKey, secondaryKey, created, held);
        }
    }

    /**
     * Everything in the file.
     *
     * @param deviceId the device the identities were made for (registered at the hub under)
     * @param modules the identities, by module id
     * @param deletedPending module ids whose deletion the hub has yet to hear
     */
    record Contents(String deviceId, Map<String, Entry> modules, List<String> deletedPending) {
        Contents {
            modules = Collections.unmodifiableSortedMap(new TreeMap<>(modules == null ? Map.of() : modules));
            deletedPending = List.copyOf(deletedPending == null ? List.of() : deletedPending);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    private final Path file;

    IdentityFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    /** @return what the file holds; nothing (no device, no identities) when there is no file yet */
    Contents read() throws IOException {
        if (!Files.exists(file)) {
            return new Contents(null, Map.of(), List.of());
        }
        Contents c;
        try {
            c = JSON.readValue(Files.readAllBytes(file), Contents.class);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the file's content (keys): say where, not what.
            throw unusable("is not valid (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage().replaceAll("'.*'", "'...'")
                    + ")");
        } catch (IOException e) {
            throw unusable("cannot be read (" + e.getMessage() + ")");
        }
        for (Map.Entry<String, Entry> e : c.modules().entrySet()) {
            Entry v = e.getValue();
            if (v == null || v.generationId() == null || v.primaryKey() == null || v.secondaryKey() == null
                    || v.created() == null) {
                throw unusable("has an incomplete identity for module '" + e.getKey() + "' (generationId, primaryKey,"
                        + " secondaryKey and created are needed)");
            }
        }
        return c;
    }

    /** Replaces the file (atomically, owner-only). */
    void write(Contents contents) throws IOException {
        CaFiles.createOwnerOnlyDir(file.getParent());
        AtomicFiles.writeOwnerOnly(file, JSON.writeValueAsBytes(contents));
    }

    private IOException unusable(String why) {
        return new IOException(file + " " + why + ". The gateway does not replace it on its own: fix or restore it,"
                + " or delete it to start over (every module then gets new keys and a new generation, and must be"
                + " restarted to use them).");
    }
}
