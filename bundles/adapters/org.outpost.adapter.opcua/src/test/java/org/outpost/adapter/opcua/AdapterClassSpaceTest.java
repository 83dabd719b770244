/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundle's class space is complete: with the manifest bnd wrote (target/classes, before packaging) a class loader
 * over its Bundle-ClassPath whose parent lends only the packages imported without resolution:=optional (and java.*
 * and what Karaf boot-delegates) runs the simulator and camel-milo's client, as in OSGi when no optional import is
 * wired.
 */
class AdapterClassSpaceTest {

    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");

    private static Manifest manifest;

    @BeforeAll
    static void readManifest() throws IOException {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
    }

    @Test
    void manifestNamesTheComponentsAndImportsCamelFromOutpost() {
        assertThat(header("Outpost-Camel-Components")).isEqualTo("milo-client,milo-browse");
        assertThat(clauses("Import-Package")).contains("org.apache.camel;version=\"[4.17,5)\"")
                .noneMatch(c -> c.startsWith("org.eclipse.milo.opcua.stack") || c.startsWith("org.eclipse.milo.opcua.sdk.client"))
                .noneMatch(c -> c.startsWith("com.google.common"))
                .noneMatch(c -> c.startsWith("java."));
        assertThat(header("Bundle-ClassPath").split(",")).contains(".").anyMatch(e -> e.startsWith("camel-milo-"));
    }

    @Test
    void componentsAndClientRunWithOnlyTheMandatoryImports() throws Exception {
        Set<String> mandatory = new HashSet<>();
        for (String clause : clauses("Import-Package")) {
            if (!clause.contains("resolution:=optional")) {
                mandatory.add(clause.split(";")[0]);
            }
        }
        ClassLoader testLoader = getClass().getClassLoader();
        ClassLoader imports = new ClassLoader(null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                String pkg = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
                // java.* and Karaf's org.osgi.framework.bootdelegation (sun.*, com.sun.*, jdk.internal.reflect).
                if (pkg.startsWith("java.") || pkg.startsWith("sun.") || pkg.startsWith("com.sun.")
                        || pkg.startsWith("jdk.internal.reflect")) {
                    return ClassLoader.getPlatformClassLoader().loadClass(name);
                }
                // Camel: all of it is exported by org.outpost.camel (the probe uses more than the bundle imports).
                if (mandatory.contains(pkg) || pkg.startsWith("org.apache.camel") && !pkg.startsWith("org.apache.camel.component.milo")) {
                    return testLoader.loadClass(name);
                }
                throw new ClassNotFoundException(name + ": package " + pkg + " is neither in the bundle nor a mandatory import");
            }

            @Override
            public URL getResource(String name) {
                return name.startsWith("org/apache/camel/") && !name.startsWith("org/apache/camel/component/milo")
                        ? testLoader.getResource(name) : null;
            }
        };
        List<URL> urls = new ArrayList<>();
        for (String entry : header("Bundle-ClassPath").split(",")) {
            urls.add(CLASSES.resolve(entry.trim().equals(".") ? "" : entry.trim()).toUri().toURL());
        }
        urls.add(TEST_CLASSES.toUri().toURL()); // the probe only (its package is not imported)
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader bundle = new URLClassLoader(urls.toArray(URL[]::new), imports)) {
            thread.setContextClassLoader(bundle);
            @SuppressWarnings("unchecked")
            BiFunction<Integer, List<String>, Map<String, Object>> probe = (BiFunction<Integer, List<String>, Map<String, Object>>)
                    bundle.loadClass("org.outpost.adapter.opcua.probe.ClassSpaceProbe").getDeclaredConstructor().newInstance();
            Map<String, Object> result = probe.apply(FreePort.find(), List.of(header("Outpost-Camel-Components").split(",")));
            try (AutoCloseable close = (AutoCloseable) result.get("close")) {
                List<?> values = (List<?>) result.get("values");
                assertThat((List<?>) result.get("componentLoaders")).hasSize(2).allMatch(loader -> loader == bundle);
                assertThat(result.get("converted")).asString().contains("42.0");
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(values.stream().distinct().count()).isGreaterThanOrEqualTo(3));
                assertThat(values).allMatch(Double.class::isInstance);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String header(String name) {
        return manifest.getMainAttributes().getValue(name).replace(" ", "");
    }

    /** The clauses of a header, split at commas outside quotes. */
    private static List<String> clauses(String name) {
        List<String> result = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : header(name).toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                result.add(clause.toString());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        result.add(clause.toString());
        return result;
    }
}
