/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for a container registry, from {@code $edgeAgent}'s
 * {@code runtime.settings.registryCredentials.<name>}: {@code {"address", "username", "password"}}.
 * {@link #toString()} names no password, so that a credential may be logged.
 *
 * @param name its name in the manifest
 * @param address the registry's address (host[:port]), as images name it
 * @param username the user name
 * @param password the password or token
 */
public record RegistryCredential(String name, String address, String username, String password) {

    public RegistryCredential {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** @return {@code base64(username:password)}, as container engines keep it in their auth files */
    public String basicAuth() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredential[" + name + ": " + username + "@" + address + ", password hidden]";
    }
}
