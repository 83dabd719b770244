/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.outpost.commons.AtomicFiles;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.RegistryCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's registry credentials ({@code runtime.settings.registryCredentials}) as the container engines read
 * them: {@code config.json} ({@code {"auths": {"<address>": {"auth": base64(user:password)}}}}, the format of both
 * podman's auth file and docker's config) in an owner-only folder, the file owner-only too. Engines get the file's
 * path (podman {@code pull --authfile <file>}, docker {@code --config <folder> pull}), never a password: nothing
 * secret is on a command line, in an environment or in a log. No credentials, no file.
 */
final class RegistryAuth {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    private final Path folder;

    /** @param folder owner-only, made if needed ({@code ${karaf.data}/outpost/registry}) */
    RegistryAuth(Path folder) {
        this.folder = folder;
    }

    Path file() {
        return folder.resolve("config.json");
    }

    /**
     * Replaces the file with these credentials (deletes it for none) if they differ from it; {@code undo} puts back
     * what was there.
     */
    void update(Map<String, RegistryCredential> credentials, Undo undo) throws IOException {
        byte[] before = Files.exists(file()) ? Files.readAllBytes(file()) : null;
        byte[] after = credentials.isEmpty() ? null : content(credentials);
        if (Arrays.equals(before, after)) {
            return;
        }
        undo.push("restore the registry credentials", () -> write(before));
        write(after);
        if (after == null) {
            LOG.info("Registry credentials deleted: the deployment has none");
        } else {
            LOG.info("Registry credentials for {} written to {} (owner-only)", credentials.values().stream()
                    .map(RegistryCredential::address).distinct().toList(), file());
        }
    }

    private void write(byte[] content) throws IOException {
        if (content == null) {
            Files.deleteIfExists(file());
            return;
        }
        ownerOnlyFolder();
        AtomicFiles.writeOwnerOnly(file(), content);
    }

    private void ownerOnlyFolder() throws IOException {
        Files.createDirectories(folder);
        try {
            Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
        } catch (UnsupportedOperationException notPosix) {
            // The file itself is still written owner-only where the file system can say so.
        }
    }

    private static byte[] content(Map<String, RegistryCredential> credentials) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        credentials.values().forEach(c -> auths.putObject(c.address()).put("auth", c.basicAuth()));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param engine the container engine's path; docker if its name says so, else podman (or one with its options)
     * @return the command that pulls {@code image} with the credentials, if there are any
     */
    List<String> pullCommand(String engine, String image) {
        List<String> c = new ArrayList<>(List.of(engine));
        boolean docker = Path.of(engine).getFileName().toString().contains("docker");
        boolean auth = Files.exists(file());
        if (docker && auth) {
            c.addAll(List.of("--config", folder.toString()));
        }
        c.add("pull");
        if (!docker && auth) {
            c.addAll(List.of("--authfile", file().toString()));
        }
        // The image is an argument, never an option, whatever it looks like.
        c.add("--");
        c.add(image);
        return c;
    }
}
