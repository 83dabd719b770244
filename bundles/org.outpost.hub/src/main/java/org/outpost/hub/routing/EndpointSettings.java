/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An endpoint's settings (the JSON values {@link EndpointType#open} gets) read with checks, for endpoint types: a
 * missing or wrong setting is an {@link IllegalArgumentException} that names it as {@code settings.<key>: ...}, as
 * the hub reports it to whoever configured the endpoint. A type makes one in {@link EndpointType#open} with the names
 * it knows, reads what it needs and throws {@link #wrong} for what it checks itself:
 * <pre>
 * EndpointSettings s = new EndpointSettings(settings, Set.of("url", "user", "password", "passwordFile", "table"));
 * String url = s.string("url");                            // required
 * long timeout = s.number("timeoutSeconds", 10, 1);         // optional, at least 1
 * if (!url.startsWith("jdbc:")) {
 *     throw EndpointSettings.wrong("url", "expected jdbc:...");
 * }
 * </pre>
 */
public final class EndpointSettings {

    private final Map<String, Object> values;

    /**
     * @param values the endpoint's settings ({@code null}: none)
     * @param known the names the endpoint type knows
     * @throws IllegalArgumentException if a setting is not one of {@code known}, naming it and the known ones
     */
    public EndpointSettings(Map<String, Object> values, Set<String> known) {
        this.values = values == null ? Map.of() : values;
        Set<String> unknown = new TreeSet<>(this.values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("settings." + unknown.iterator().next() + ": unknown setting; known: "
                    + new TreeSet<>(known));
        }
    }

    /** @return the exception for a wrong setting: {@code settings.<key>: <message>} */
    public static IllegalArgumentException wrong(String key, String message) {
        return new IllegalArgumentException("settings." + key + ": " + message);
    }

    /**
     * @return the setting as text (a string, number or boolean)
     * @throws IllegalArgumentException if it is missing or blank, or a list or object
     */
    public String string(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw wrong(key, "required");
        }
        return value;
    }

    /**
     * @return the setting as text (a string, number or boolean), or {@code fallback} if it is missing
     * @throws IllegalArgumentException if it is a list or object
     */
    public String string(String key, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
            throw wrong(key, "expected a string, got " + value.getClass().getSimpleName());
        }
        return value.toString();
    }

    /**
     * @return the setting as a whole number (a JSON number or a string of digits), or {@code fallback} if it is
     *         missing (not checked against {@code min})
     * @throws IllegalArgumentException if it is no whole number or below {@code min}
     */
    public long number(String key, long fallback, long min) {
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

    /**
     * @return a JSON object of names and plain values (e.g. extra client properties), each value as text, in the
     *         object's order; empty if the setting is missing
     * @throws IllegalArgumentException if it is no object, or one of its values is a list or object (naming it as
     *         {@code settings.<key>.<name>})
     */
    public Map<String, Object> map(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrong(key, "expected an object of names and values");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Map || v instanceof Collection) {
                throw wrong(key + "." + k, "expected a string, number or boolean");
            }
            result.put(String.valueOf(k), String.valueOf(v));
        });
        return result;
    }

    /**
     * The password: {@code password} as given, or the first line of the file {@code passwordFile} (relative to
     * {@code ${karaf.etc}}, so that it can sit owner-only in {@code etc/outpost-secrets/}); empty if neither.
     *
     * @throws IllegalArgumentException if both are given, or the file cannot be read (naming it)
     */
    public String password() {
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

    /**
     * @return {@code path} as an absolute path: as it is if absolute, else relative to {@code base} when that is given
     *         (e.g. {@code ${karaf.data}}), else to the working directory
     */
    public static Path resolve(String path, String base) {
        Path p = Path.of(path);
        return p.isAbsolute() || base == null ? p.toAbsolutePath() : Path.of(base).resolve(p).toAbsolutePath();
    }
}
