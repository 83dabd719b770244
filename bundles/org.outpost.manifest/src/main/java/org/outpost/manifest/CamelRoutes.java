/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.List;
import java.util.Locale;

/**
 * The routes of a {@code camel} module: Camel YAML DSL or XML route files, named by location
 * ({@code settings.routes}: one location or a list of them, {@code file:}, {@code http(s):} or {@code mvn:}, each
 * allowed by the deployment policy as a bundle's location is) or carried inline ({@code settings.inline}: the route
 * text).
 *
 * @param locations where the route files are, in order; empty for inline routes
 * @param inline the route text, or {@code null} for routes by location
 * @param format {@code yaml} or {@code xml} ({@code settings.format}): the format of the inline text, and of a location
 *            whose name does not say it ({@code .yaml}, {@code .yml}, {@code .xml}); {@code yaml} unless given
 * @since 1.3
 */
public record CamelRoutes(List<String> locations, String inline, String format) {

    /** The formats of route files. */
    public static final List<String> FORMATS = List.of("yaml", "xml");

    public CamelRoutes {
        locations = List.copyOf(locations);
        if ((inline == null) == locations.isEmpty()) {
            throw new IllegalArgumentException("routes are by location or inline: exactly one of them");
        }
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("format is yaml or xml, not " + format);
        }
    }

    /**
     * @return the format of the route file at {@code location}: by its name ({@code .xml}, {@code .yaml},
     *         {@code .yml}; the type of a {@code mvn:group/artifact/version/type}), else {@link #format()}
     */
    public String formatOf(String location) {
        String name = location.toLowerCase(Locale.ROOT);
        String[] mvn = name.startsWith("mvn:") ? name.substring(4).split("/") : new String[0];
        if (mvn.length >= 4 && List.of("xml", "yaml", "yml").contains(mvn[3])) {
            return mvn[3].equals("xml") ? "xml" : "yaml";
        }
        if (name.endsWith(".xml")) {
            return "xml";
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "yaml";
        }
        return format;
    }
}
