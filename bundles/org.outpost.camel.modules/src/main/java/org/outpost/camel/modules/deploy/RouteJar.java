/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.outpost.api.module.ModuleNames;
import org.outpost.camel.modules.api.RouteBundle;

/**
 * Makes a route module's bundle ({@link RouteBundle}, the contract) from route files: the manifest, the route files
 * under {@code routes/}, the component description, and a Metatype definition of the module's PID typed from the
 * routes' placeholders ({@link Placeholders}; none if the routes have no placeholder). The same input gives the same bytes (entries in a fixed order with a
 * fixed time), so that a route file that did not change is not taken as a new bundle.
 */
public final class RouteJar {

    /** The folder of the route files inside the bundle. */
    public static final String ROUTES_FOLDER = "routes/";
    /** The Metatype folder inside the bundle. */
    public static final String METATYPE_FOLDER = "OSGI-INF/metatype/";
    /** The time of every entry: fixed, so that the bytes depend on the content only. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

    /**
     * One route file.
     *
     * @param name its name inside {@code routes/}, ending in {@code .yaml}, {@code .yml} or {@code .xml}
     * @param content its text (UTF-8)
     */
    public record RouteFile(String name, byte[] content) {
    }

    private RouteJar() {
    }

    /**
     * @param module the module id
     * @param pid the module's configuration PID
     * @param version the bundle version (an OSGi version)
     * @param source where the routes came from ({@value RouteBundle#SOURCE_HEADER})
     * @param files the route files, at least one, with distinct names
     * @return the bundle
     */
    public static byte[] build(String module, String pid, String version, String source, List<RouteFile> files) {
        ModuleNames.require("module id", module);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a route module has at least one route file");
        }
        Set<String> names = new LinkedHashSet<>();
        for (RouteFile f : files) {
            if (!f.name().matches("[A-Za-z0-9_.-]+\\.(yaml|yml|xml)") || !names.add(f.name())) {
                throw new IllegalArgumentException("route file name '" + f.name() + "' is not a distinct"
                        + " <name>.yaml/.yml/.xml");
            }
        }
        Map<String, Placeholders.Placeholder> placeholders = Placeholders.of(files.stream().map(RouteFile::content)
                .toList());
        String metatypePath = METATYPE_FOLDER + pid + ".xml";
        List<String> routes = new ArrayList<>();
        names.forEach(n -> routes.add(ROUTES_FOLDER + n));

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", RouteBundle.SYMBOLIC_NAME_PREFIX + module);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "Outpost route module " + module);
        main.putValue(RouteBundle.MODULE_HEADER, module);
        main.putValue(RouteBundle.ROUTES_HEADER, String.join(",", routes));
        main.putValue(RouteBundle.SOURCE_HEADER, source);
        main.putValue("Import-Package", RouteBundle.COMPONENT_PACKAGE);
        main.putValue("DynamicImport-Package", "*");
        main.putValue("Service-Component", RouteBundle.COMPONENT_XML_PATH);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            directory(jar, "META-INF/");
            entry(jar, "META-INF/MANIFEST.MF", manifestBytes(manifest));
            directory(jar, "OSGI-INF/");
            entry(jar, RouteBundle.COMPONENT_XML_PATH, RouteBundle.componentXml(module, pid)
                    .getBytes(StandardCharsets.UTF_8));
            if (!placeholders.isEmpty()) {
                directory(jar, METATYPE_FOLDER);
                entry(jar, metatypePath, MetatypeXml.of(module, pid, placeholders.values())
                        .getBytes(StandardCharsets.UTF_8));
            }
            directory(jar, ROUTES_FOLDER);
            for (RouteFile f : files) {
                entry(jar, ROUTES_FOLDER + f.name(), f.content());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] manifestBytes(Manifest manifest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        manifest.write(out);
        return out.toByteArray();
    }

    private static void directory(JarOutputStream jar, String name) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        jar.putNextEntry(e);
        jar.closeEntry();
    }

    private static void entry(JarOutputStream jar, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        jar.putNextEntry(e);
        jar.write(content);
        jar.closeEntry();
    }
}
