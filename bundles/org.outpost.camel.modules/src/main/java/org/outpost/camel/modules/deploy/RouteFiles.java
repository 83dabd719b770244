/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.outpost.api.module.ModuleNames;

/**
 * Route files as {@code deploy/} takes them: {@code <module>.camel.yaml}, {@code <module>.camel.yml} (Camel YAML DSL)
 * or {@code <module>.camel.xml} (Camel XML DSL); the module is named after the file.
 */
public final class RouteFiles {

    /** The file name endings of route files, in lower case. */
    public static final List<String> SUFFIXES = List.of(".camel.yaml", ".camel.yml", ".camel.xml");

    private RouteFiles() {
    }

    /** @return the route file ending of {@code fileName} (in any case), if it is a route file's name */
    public static Optional<String> suffix(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().filter(s -> lower.endsWith(s) && lower.length() > s.length()).findFirst();
    }

    /** @return whether {@code fileName} is a route file's name */
    public static boolean isRouteFile(String fileName) {
        return suffix(fileName).isPresent();
    }

    /** @return the module a route file is, its name without the ending ({@code opcua-reader.camel.yaml}) */
    public static String moduleName(String fileName) {
        String suffix = suffix(fileName).orElseThrow(() -> new IllegalArgumentException(fileName
                + " is not a route file (*.camel.yaml, *.camel.yml, *.camel.xml)"));
        return fileName.substring(0, fileName.length() - suffix.length());
    }

    /** @return why a route file's name makes no module, or empty if it names a valid module id */
    public static Optional<String> invalidName(String fileName) {
        String module = moduleName(fileName);
        if (ModuleNames.isValid(module)) {
            return Optional.empty();
        }
        return Optional.of("'" + module + "' is not a module id: a route file is named <module>.camel.yaml (or"
                + " .camel.yml, .camel.xml) with a module id of 1 to 64 letters, digits, '-' or '_'; rename the"
                + " file, e.g. to " + suggestion(module) + suffix(fileName).orElseThrow());
    }

    private static String suggestion(String module) {
        String s = module.replaceAll("[^A-Za-z0-9_-]", "-");
        s = s.isEmpty() ? "routes" : s;
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /** @return {@code xml} for a file whose name ends in {@code .xml}, else {@code yaml} */
    public static String format(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".xml") ? "xml" : "yaml";
    }
}
