/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The property placeholders of a route file, {@code {{name}}} and {@code {{name:default}}}: the route module's
 * properties. Camel's own functions ({@code {{env:X}}}, {@code {{sys:x}}} ...) and optional ones ({@code {{?name}}})
 * are not module properties.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");
    private static final Set<String> FUNCTIONS = Set.of("env", "sys", "sysenv", "service", "service.host",
            "service.port", "service.name", "bean", "ref", "base64", "configmap", "secret", "vault", "aws", "azure",
            "gcp", "hashicorp", "kubernetes", "kubernetes-configmap", "kubernetes-secret");

    private Placeholders() {
    }

    /**
     * One placeholder in a file.
     *
     * @param name the property name
     * @param defaultValue its default, null when it has none
     * @param offset where it starts in the file
     */
    public record Placeholder(String name, String defaultValue, int offset) {
        /** @return the type the default gives: integer, number, boolean, else string (and string without one) */
        public String type() {
            if (defaultValue == null) {
                return "string";
            }
            String d = defaultValue.strip();
            if (d.matches("[-+]?\\d+")) {
                return "integer";
            }
            if (d.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                return "number";
            }
            if (d.equals("true") || d.equals("false")) {
                return "boolean";
            }
            return "string";
        }
    }

    /** @return the module-property placeholders of the text, in order */
    public static List<Placeholder> of(String text) {
        List<Placeholder> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String inner = m.group(1).strip();
            if (inner.startsWith("?") || inner.startsWith("!") || inner.isEmpty()) {
                continue;
            }
            int colon = inner.indexOf(':');
            String name = colon < 0 ? inner : inner.substring(0, colon).strip();
            if (colon >= 0 && FUNCTIONS.contains(name)) {
                continue;
            }
            out.add(new Placeholder(name, colon < 0 ? null : inner.substring(colon + 1), m.start()));
        }
        return out;
    }

    /**
     * @throws RouteModuleException naming the first placeholder without a default that {@code properties} lacks,
     *             with its line and column
     */
    static void check(RouteFile file, Map<String, String> properties) throws RouteModuleException {
        for (Placeholder p : of(file.text())) {
            if (p.defaultValue() == null && !properties.containsKey(p.name())) {
                throw new RouteModuleException(file.path() + " " + file.position(p.offset()) + ": placeholder {{"
                        + p.name() + "}} has no value: set the module's desired property " + p.name()
                        + " or give a default ({{" + p.name() + ":<default>}})", null);
            }
        }
    }
}
