/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads {@code runtime.settings.registryCredentials}: {@code {"<name>": {"address": ..., "username": ...,
 * "password": ...}}}. Errors name the path, never a value.
 */
final class RegistryCredentials {

    private RegistryCredentials() {
    }

    /**
     * @param node the registryCredentials object, or null
     * @param at its JSON path
     * @return the credentials by name
     * @throws ManifestException (400) naming what is missing or malformed
     */
    static Map<String, RegistryCredential> parse(JsonNode node, String at) throws ManifestException {
        Map<String, RegistryCredential> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ManifestException(400, at, "must be an object: {\"<name>\": {\"address\": \"myacr.azurecr.io\","
                    + " \"username\": \"...\", \"password\": \"...\"}}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = at + "." + e.getKey();
            if (!e.getValue().isObject()) {
                throw new ManifestException(400, p, "must be an object with address, username and password");
            }
            String address = required(e.getValue(), "address", p);
            if (address.contains("/") && !address.matches("(?i)https?://[^/]+/?")) {
                // IoT Edge allows a scheme; a path is not part of a registry's address.
                throw new ManifestException(400, p + ".address", "a registry's address is a host name, with a port"
                        + " if needed (myacr.azurecr.io, localhost:5000)");
            }
            out.put(e.getKey(), new RegistryCredential(e.getKey(), address.replaceFirst("(?i)^https?://", "")
                    .replaceFirst("/$", ""), required(e.getValue(), "username", p), required(e.getValue(),
                            "password", p)));
        }
        return out;
    }

    private static String required(JsonNode node, String field, String at) throws ManifestException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ManifestException(400, at + "." + field, "missing");
        }
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw new ManifestException(400, at + "." + field, "must be a non-empty string");
        }
        return v.textValue();
    }
}
