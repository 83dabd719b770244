/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * What Outpost refuses in the gateway's {@code deploy/} folder, and why: the same judgement for the runtime, which
 * claims such jars from fileinstall, and for {@code edge:list}, which shows them. Only OSGi bundles are installed from
 * there; a module is a bundle built with bnd (its {@code @EdgeModule} becomes the {@code Outpost-Module} header), so a
 * jar without bundle headers can never be one.
 */
public final class DeployFolder {

    /** The manifest header that makes a jar an OSGi bundle. */
    static final String SYMBOLIC_NAME = "Bundle-SymbolicName";

    private DeployFolder() {
    }

    /** A jar in {@code deploy/} that was not installed. */
    public record Refused(Path jar, String reason) {
    }

    /** @return the {@code deploy/} folder of this Karaf instance */
    public static Path path() {
        return Path.of(System.getProperty("karaf.base", "."), "deploy");
    }

    /** The endings of Camel route files, each of which is a route module named after the file. */
    private static final List<String> ROUTE_FILES = List.of(".camel.yaml", ".camel.yml", ".camel.xml");

    /**
     * @param file a file in {@code deploy/}
     * @return why Outpost does not install it (what it is and what to do), or empty for a bundle, a route file named
     *         after a valid module id and anything that is not a {@code .jar} or route file
     */
    public static Optional<String> refusal(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (String suffix : ROUTE_FILES) {
            if (lower.endsWith(suffix) && Files.isRegularFile(file)) {
                String module = name.substring(0, name.length() - suffix.length());
                return module.matches("[A-Za-z0-9_-]{1,64}") ? Optional.empty() : Optional.of("'"
                        + module + "' is not a module id, so the route file makes no module: name it"
                        + " <module>.camel.yaml (or .camel.yml, .camel.xml) with a module id of 1 to 64 letters,"
                        + " digits, '-' or '_'");
            }
        }
        if (!name.endsWith(".jar") || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Manifest manifest;
        try (JarFile jar = new JarFile(file.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            return Optional.of("it cannot be read as a jar (zip) file (" + e.getMessage() + "); replace it with the"
                    + " module's jar");
        }
        if (manifest != null && manifest.getMainAttributes().getValue(SYMBOLIC_NAME) != null) {
            return Optional.empty();
        }
        return Optional.of("it is a plain jar, not an OSGi bundle (" + (manifest == null ? "it has no"
                + " META-INF/MANIFEST.MF" : "its manifest has no " + SYMBOLIC_NAME) + "), so it holds no module."
                + " Build a module as a bundle with bnd (docs/modules.md); to run a plain library anyway, install it"
                + " yourself with bundle:install -s wrap:" + file.toUri());
    }

    /** @return every jar in {@code folder} that Outpost does not install, by file name; none if it cannot be read */
    public static List<Refused> refused(Path folder) {
        List<Refused> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.sorted().forEach(f -> refusal(f).ifPresent(r -> out.add(new Refused(f, r))));
        } catch (IOException noFolder) {
            return List.of();
        }
        return out;
    }
}
