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

    /**
     * @param file a file in {@code deploy/}
     * @return why Outpost does not install it (what it is and what to do), or empty for a bundle and for anything
     *         that is not a {@code .jar} file
     */
    public static Optional<String> refusal(Path file) {
        if (!file.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(file)) {
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
