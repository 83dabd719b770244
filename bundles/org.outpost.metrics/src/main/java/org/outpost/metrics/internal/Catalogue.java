/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The names Outpost's metrics have and what they mean: the {@code # HELP} line of each metric on {@code /metrics}.
 * Kept in {@code catalogue.properties} next to this class (edgeHub's and edgeAgent's names and meanings where Outpost
 * measures the same, then Outpost's own); docs/operations.md lists the same.
 */
final class Catalogue {

    private final Map<String, String> help;

    private Catalogue(Map<String, String> help) {
        this.help = Collections.unmodifiableMap(new TreeMap<>(help));
    }

    /** @return the catalogue shipped in this bundle */
    static Catalogue load() {
        try (InputStream in = Catalogue.class.getResourceAsStream("catalogue.properties")) {
            if (in == null) {
                throw new IllegalStateException("catalogue.properties is missing from the org.outpost.metrics bundle");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> m = new TreeMap<>();
            p.stringPropertyNames().forEach(n -> m.put(n, p.getProperty(n).trim()));
            return new Catalogue(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metrics catalogue of org.outpost.metrics", e);
        }
    }

    /** @return what the metric means, or null for a name the catalogue does not know (no {@code # HELP} line) */
    String help(String name) {
        return help.get(name);
    }

    /** @return every catalogued name and its meaning, sorted by name */
    Map<String, String> entries() {
        return help;
    }
}
