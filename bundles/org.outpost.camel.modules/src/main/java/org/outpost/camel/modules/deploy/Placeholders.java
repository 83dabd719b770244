/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The property placeholders of route files, which are a route module's properties: {@code {{name}}} (required: the
 * module's configuration must give it) or {@code {{name:default}}}, whose default gives the type: a whole number is an
 * {@link Type#INTEGER integer}, another number a {@link Type#NUMBER number}, {@code true} or {@code false} a
 * {@link Type#BOOLEAN boolean}, anything else a {@link Type#STRING string}. A placeholder without a default is
 * {@link Type#ANY any} scalar. {@code {{?name}}} (Camel's optional placeholder) is not required; {@code {{!name}}} (its
 * negation) is a boolean. Camel's functions ({@code {{env:HOME}}}, {@code {{sys:user.home}}},
 * {@code {{service:x}}}, ...) are not properties of the module and are left out.
 * <p>
 * This is the one scanner of placeholders: the deployment's checks, the module's Metatype and the runtime's check
 * before the routes start ({@code org.outpost.camel.modules.runtime.Placeholders}) all use {@link #occurrences}.
 */
public final class Placeholders {

    /** What a placeholder's value is. */
    public enum Type {
        INTEGER("an integer", "Long"), NUMBER("a number", "Double"), BOOLEAN("a boolean", "Boolean"),
        STRING("a string", "String"), ANY("a value", "String");

        private final String expected;
        private final String metatype;

        Type(String expected, String metatype) {
            this.expected = expected;
            this.metatype = metatype;
        }

        /** @return what a value of this type is, for errors: {@code "a number"} */
        public String expected() {
            return expected;
        }

        /** @return the Metatype attribute type ({@code Long}, {@code Double}, {@code Boolean}, {@code String}) */
        public String metatype() {
            return metatype;
        }
    }

    /**
     * One property of a route module.
     *
     * @param name the property name ({@code threshold}, {@code opcua.endpoint})
     * @param type its type, from its default
     * @param defaultValue its default as written, or null if it has none
     * @param required whether the module's configuration must give it (an occurrence has no default and is not
     *            optional)
     */
    public record Placeholder(String name, Type type, String defaultValue, boolean required) {
    }

    /**
     * One occurrence of a module property in a route text.
     *
     * @param name the property name
     * @param defaultValue its default as written, or null
     * @param optional {@code {{?name}}}: Camel leaves it out when it has no value
     * @param negated {@code {{!name}}}: the negation of a boolean
     * @param offset where the occurrence starts in the text
     */
    public record Occurrence(String name, String defaultValue, boolean optional, boolean negated, int offset) {

        /** @return the type it gives: {@link Type#BOOLEAN} when negated, else its default's */
        public Type type() {
            return negated ? Type.BOOLEAN : typeOf(defaultValue);
        }

        /** @return whether the module's configuration must give it: it has no default and is not optional */
        public boolean required() {
            return defaultValue == null && !optional;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");
    /** Camel's property functions: {@code {{env:NAME}}} is the environment's, not a property with a default. */
    private static final Set<String> FUNCTIONS = Set.of("env", "sys", "sysenv", "service", "service.name",
            "service.host", "service.port", "bean", "ref", "base64", "aws", "gcp", "azure", "hashicorp", "vault",
            "kubernetes", "kubernetes-cm", "kubernetes-configmap", "kubernetes-secret", "configmap", "secret",
            "cyberark", "ibm");

    private Placeholders() {
    }

    /** @return the placeholders of the route files' texts, by name, in the order of their first occurrence */
    public static Map<String, Placeholder> of(Collection<byte[]> routeFiles) {
        Map<String, Placeholder> out = new LinkedHashMap<>();
        for (byte[] file : routeFiles) {
            scan(new String(file, StandardCharsets.UTF_8), out);
        }
        return out;
    }

    /** @return the placeholders of one route text, by name, in the order of their first occurrence */
    public static Map<String, Placeholder> of(String routeText) {
        Map<String, Placeholder> out = new LinkedHashMap<>();
        scan(routeText, out);
        return out;
    }

    /** @return the placeholders of route texts, by name */
    public static Map<String, Placeholder> ofTexts(List<String> routeTexts) {
        Map<String, Placeholder> out = new LinkedHashMap<>();
        routeTexts.forEach(t -> scan(t, out));
        return out;
    }

    /**
     * @return the occurrences of module properties in a route text, in order: Camel's functions
     *         ({@code {{env:HOME}}}) and what is no property name are left out
     */
    public static List<Occurrence> occurrences(String text) {
        List<Occurrence> out = new java.util.ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(withoutComments(text));
        while (m.find()) {
            String inside = m.group(1).strip();
            boolean optional = inside.startsWith("?");
            boolean negated = inside.startsWith("!");
            if (optional || negated) {
                inside = inside.substring(1);
            }
            int colon = inside.indexOf(':');
            String name = colon < 0 ? inside : inside.substring(0, colon);
            String defaultValue = colon < 0 ? null : inside.substring(colon + 1);
            if (!NAME.matcher(name).matches() || colon >= 0 && FUNCTIONS.contains(name)) {
                continue;
            }
            out.add(new Occurrence(name, defaultValue, optional, negated, m.start()));
        }
        return out;
    }

    private static void scan(String text, Map<String, Placeholder> out) {
        for (Occurrence o : occurrences(text)) {
            String name = o.name();
            Placeholder before = out.get(name);
            if (before == null) {
                out.put(name, new Placeholder(name, o.type(), o.defaultValue(), o.required()));
            } else {
                // The first default gives the type; any occurrence without one makes the property required.
                Type t = before.type() == Type.ANY ? o.type() : before.type();
                String d = before.defaultValue() == null ? o.defaultValue() : before.defaultValue();
                out.put(name, new Placeholder(name, t, d, before.required() || o.required()));
            }
        }
    }

    /** @return the type a default gives: integer, number, boolean or string; {@link Type#ANY} without one */
    public static Type typeOf(String defaultValue) {
        if (defaultValue == null) {
            return Type.ANY;
        }
        if (defaultValue.equals("true") || defaultValue.equals("false")) {
            return Type.BOOLEAN;
        }
        if (INTEGER.matcher(defaultValue).matches()) {
            return Type.INTEGER;
        }
        if (NUMBER.matcher(defaultValue).matches()) {
            return Type.NUMBER;
        }
        return Type.STRING;
    }

    /**
     * @return the text with its comments blanked out, every other character where it was (so that lines and columns
     *         stay right): YAML lines whose first non-blank character is {@code #}, and XML {@code <!-- -->}. Camel
     *         reads neither, so a placeholder named there is no property of the module.
     */
    static String withoutComments(String text) {
        char[] out = text.toCharArray();
        int xml = text.indexOf("<!--");
        while (xml >= 0) {
            int end = text.indexOf("-->", xml + 4);
            int stop = end < 0 ? out.length : end + 3;
            blank(out, xml, stop);
            xml = end < 0 ? -1 : text.indexOf("<!--", stop);
        }
        int line = 0;
        while (line < out.length) {
            int next = text.indexOf('\n', line);
            int stop = next < 0 ? out.length : next;
            int first = line;
            while (first < stop && (out[first] == ' ' || out[first] == '\t')) {
                first++;
            }
            if (first < stop && out[first] == '#') {
                blank(out, first, stop);
            }
            line = stop + 1;
        }
        return new String(out);
    }

    private static void blank(char[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] != '\n' && text[i] != '\r') {
                text[i] = ' ';
            }
        }
    }
}
