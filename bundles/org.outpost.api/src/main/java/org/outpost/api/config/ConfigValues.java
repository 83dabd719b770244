/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.config;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads attributes of a DS configuration annotation one by one, so that a value Config Admin could not convert (a
 * port of {@code "abc"}) or that breaks a rule becomes an {@link InvalidConfigurationException} naming the key and the
 * raw value.
 *
 * <pre>{@code
 * ConfigValues values = new ConfigValues("org.outpost.broker", config, properties);
 * int port = values.get("core.port", config::core_port, p -> p >= 0 && p <= 65535, "a port 0-65535");
 * }</pre>
 */
public final class ConfigValues {

    /** Supplies one attribute of a configuration annotation; may throw when the value cannot be converted. */
    @FunctionalInterface
    public interface Attribute<T> {
        T get();
    }

    private final String pid;
    private final Map<String, ?> raw;

    /**
     * @param pid the configuration PID, for messages
     * @param config the typed configuration (only its type is used, to be sure it is one)
     * @param raw the component properties as DS passed them (the raw values, for messages)
     */
    public ConfigValues(String pid, Annotation config, Map<String, ?> raw) {
        this.pid = pid;
        this.raw = Map.copyOf(raw == null ? Map.of() : withoutNulls(raw));
        if (config == null) {
            throw new IllegalArgumentException("no configuration for " + pid);
        }
    }

    private static Map<String, ?> withoutNulls(Map<String, ?> raw) {
        Map<String, Object> copy = new java.util.HashMap<>();
        raw.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    /**
     * @param key the property key (the attribute name with {@code _} as {@code .})
     * @param attribute the annotation method to call
     * @param rule what a valid value must satisfy
     * @param expected what a valid value looks like, for the message
     * @return the value
     * @throws InvalidConfigurationException if the value cannot be converted or breaks the rule
     */
    public <T> T get(String key, Attribute<T> attribute, Predicate<? super T> rule, String expected)
            throws InvalidConfigurationException {
        T value;
        try {
            value = attribute.get();
        } catch (RuntimeException conversion) {
            throw new InvalidConfigurationException(pid, key, raw.get(key), expected);
        }
        if (value == null || !rule.test(value)) {
            throw new InvalidConfigurationException(pid, key, raw.containsKey(key) ? raw.get(key) : value, expected);
        }
        return value;
    }

    /** Like {@link #get(String, Attribute, Predicate, String)} with no rule beyond conversion. */
    public <T> T get(String key, Attribute<T> attribute, String expected) throws InvalidConfigurationException {
        return get(key, attribute, v -> true, expected);
    }

    /** @return the configuration PID */
    public String pid() {
        return pid;
    }

    /**
     * @param type a configuration annotation type whose every attribute has a default
     * @return an instance of it that answers every attribute with its default value
     */
    public static <A extends Annotation> A defaults(Class<A> type) {
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return type;
                        case "toString":
                            return "defaults of " + type.getName();
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == args[0];
                        default:
                            return method.getDefaultValue();
                    }
                });
        return type.cast(proxy);
    }
}
