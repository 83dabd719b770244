/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.outpost.camel.modules.deploy.Placeholders.Occurrence;
import org.outpost.camel.modules.deploy.Placeholders.Type;

/**
 * The property placeholders of a route file, {@code {{name}}}, {@code {{name:default}}} and {@code {{!name}}}: the
 * route module's properties, as {@link org.outpost.camel.modules.deploy.Placeholders} (the one scanner) finds them.
 * Camel's own functions ({@code {{env:X}}}, {@code {{sys:x}}} ...) are not module properties; optional ones
 * ({@code {{?name}}}) need no value and are left out here.
 */
public final class Placeholders {

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
            Type t = org.outpost.camel.modules.deploy.Placeholders.typeOf(defaultValue);
            return t == Type.ANY ? "string" : t.name().toLowerCase(Locale.ROOT);
        }
    }

    /** @return the module-property placeholders of the text that are not optional, in order */
    public static List<Placeholder> of(String text) {
        return org.outpost.camel.modules.deploy.Placeholders.occurrences(text).stream().filter(o -> !o.optional())
                .map(o -> new Placeholder(o.name(), o.defaultValue(), o.offset())).toList();
    }

    /**
     * @throws RouteModuleException naming the first placeholder without a default that {@code properties} lacks,
     *             with its line and column
     */
    static void check(RouteFile file, Map<String, String> properties) throws RouteModuleException {
        for (Occurrence p : org.outpost.camel.modules.deploy.Placeholders.occurrences(file.text())) {
            if (p.required() && !properties.containsKey(p.name())) {
                throw new RouteModuleException(file.path() + " " + file.position(p.offset()) + ": placeholder {{"
                        + (p.negated() ? "!" : "") + p.name() + "}} has no value: set the module's desired property "
                        + p.name() + " or give a default ({{" + p.name() + ":<default>}})", null);
            }
        }
    }
}
