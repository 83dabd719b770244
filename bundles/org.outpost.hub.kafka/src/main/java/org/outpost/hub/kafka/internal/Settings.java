/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.kafka.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An endpoint's settings (JSON values) read with checks: a missing or wrong one is an
 * {@link IllegalArgumentException} naming it as {@code settings.<key>: ...}.
 */
final class Settings {

    private final Map<String, Object> values;

    Settings(Map<String, Object> values, Set<String> known) {
        this.values = values == null ? Map.of() : values;
        Set<String> unknown = new TreeSet<>(this.values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("settings." + unknown.iterator().next() + ": unknown setting; known: "
                    + new TreeSet<>(known));
        }
    }

    static IllegalArgumentException wrong(String key, String message) {
        return new IllegalArgumentException("settings." + key + ": " + message);
    }

    String string(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw wrong(key, "required");
        }
        return value;
    }

    String string(String key, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
            throw wrong(key, "expected a string, got " + value.getClass().getSimpleName());
        }
        return value.toString();
    }

    long number(String key, long fallback, long min) {
        Object value = values.get(key);
        long n;
        if (value == null) {
            return fallback;
        } else if (value instanceof Number number && number.doubleValue() == number.longValue()) {
            n = number.longValue();
        } else if (value instanceof String text && text.strip().matches("-?\\d+")) {
            n = Long.parseLong(text.strip());
        } else {
            throw wrong(key, "expected a whole number, got " + value);
        }
        if (n < min) {
            throw wrong(key, n + " is below the minimum " + min);
        }
        return n;
    }

    /** A JSON object of string values (e.g. extra client properties); empty if absent. */
    Map<String, Object> map(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrong(key, "expected an object of names and values");
        }
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Map || v instanceof java.util.Collection) {
                throw wrong(key + "." + k, "expected a string, number or boolean");
            }
            result.put(String.valueOf(k), String.valueOf(v));
        });
        return result;
    }

    /**
     * The password: {@code password} as given, or the first line of the file {@code passwordFile} (relative to
     * {@code ${karaf.etc}}, so that it can sit owner-only in {@code etc/outpost-secrets/}); empty if neither.
     */
    String password() {
        String password = string("password", null);
        String file = string("passwordFile", null);
        if (password != null && file != null) {
            throw wrong("passwordFile", "give password or passwordFile, not both");
        }
        if (file == null) {
            return password == null ? "" : password;
        }
        Path path = resolve(file, System.getProperty("karaf.etc"));
        try {
            return Files.readString(path).lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw wrong("passwordFile", "cannot read " + path + " (" + e + "): create it with the password on its "
                    + "first line");
        }
    }

    /** A path relative to {@code base} (when given) unless absolute. */
    static Path resolve(String path, String base) {
        Path p = Path.of(path);
        return p.isAbsolute() || base == null ? p.toAbsolutePath() : Path.of(base).resolve(p).toAbsolutePath();
    }
}
