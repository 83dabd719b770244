/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's secrets in one owner-only place, {@code ${karaf.etc}/}{@value #DEFAULT_FILE}, instead of its
 * configuration files (which ConfigAdmin copies, and processes running as the gateway's user can read): the device key
 * ({@value #DEVICE_KEY}, which the upstream and the twins make SAS tokens with) and the upstream's password for a plain
 * MQTT broker ({@value #UPSTREAM_PASSWORD}). A configuration names the file ({@code secrets.file}), never the secret.
 * The file is read only when it is the owner's alone ({@link SecretFiles}).
 */
public final class GatewaySecrets {

    /** The secrets file, from {@code ${karaf.etc}}. */
    public static final String DEFAULT_FILE = "outpost-secrets/gateway.properties";
    /** The device key (from {@code hub:device-create}). */
    public static final String DEVICE_KEY = "device.key";
    /** The upstream's password, for a cloud broker that takes a user name and password. */
    public static final String UPSTREAM_PASSWORD = "upstream.password";

    private final Path file;
    private final Map<String, String> entries;

    private GatewaySecrets(Path file, Map<String, String> entries) {
        this.file = file;
        this.entries = entries;
    }

    /**
     * @param etc {@code ${karaf.etc}}
     * @param configured the file a configuration names ({@code secrets.file}); empty for {@value #DEFAULT_FILE}, and
     *            a relative path is taken from {@code etc}
     * @return the secrets in the file; none if there is no file
     * @throws IOException if the file is there but may not or cannot be read (group or others may read it), saying
     *             what to do
     */
    public static GatewaySecrets read(Path etc, String configured) throws IOException {
        String f = configured == null || configured.isBlank() ? DEFAULT_FILE : configured.strip();
        Path file = etc.resolve(f).toAbsolutePath().normalize();
        return new GatewaySecrets(file, SecretFiles.readProperties(file));
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    /** @return the secret named so, if the file has it (not empty) */
    public Optional<String> get(String name) {
        return Optional.ofNullable(entries.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * @return what to log when a configuration still holds a secret (the secret is used, this once more): where it
     *         is, why it should move, and where to
     */
    public String moveWarning(String pid, String attribute, String entry) {
        return "configuration " + pid + " holds a secret in " + attribute + ": etc/" + pid + ".cfg and ConfigAdmin's"
                + " copy of it can be read by every process running as the gateway's user (process modules too). It"
                + " is used for now; move it to " + file + " as " + entry + " = ... (chmod 600), then empty "
                + attribute + " in etc/" + pid + ".cfg";
    }
}
