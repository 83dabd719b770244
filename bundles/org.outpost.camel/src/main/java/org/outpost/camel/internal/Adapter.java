/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.spi.TypeConverterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An adapter bundle (or, in tests, any class loader) that serves Camel components, data formats and languages: their
 * {@code META-INF/services/org/apache/camel/<kind>/<name>} files are read, and their classes loaded, through its class
 * loader.
 */
final class Adapter {

    private static final Logger LOG = LoggerFactory.getLogger(Adapter.class);
    static final String SERVICES = "META-INF/services/org/apache/camel/";
    static final String TYPE_CONVERTER_LOADERS = SERVICES + "TypeConverterLoader";

    private final String name;
    private final ClassLoader loader;
    private final Set<String> components;
    private final Set<String> dataformats;
    private final Set<String> languages;

    /**
     * @param name the bundle's symbolic name and version
     * @param loader the bundle's class loader
     */
    Adapter(String name, ClassLoader loader, Set<String> components, Set<String> dataformats, Set<String> languages) {
        this.name = name;
        this.loader = loader;
        this.components = Collections.unmodifiableSet(new LinkedHashSet<>(components));
        this.dataformats = Collections.unmodifiableSet(new LinkedHashSet<>(dataformats));
        this.languages = Collections.unmodifiableSet(new LinkedHashSet<>(languages));
    }

    /** @return the names in a comma separated header value, e.g. {@code milo-client, milo-browse} */
    static Set<String> names(String header) {
        if (header == null || header.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(header.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    String name() {
        return name;
    }

    ClassLoader loader() {
        return loader;
    }

    Set<String> components() {
        return components;
    }

    Set<String> dataformats() {
        return dataformats;
    }

    Set<String> languages() {
        return languages;
    }

    /**
     * @param kind {@code component}, {@code dataformat} or {@code language}
     * @param serviceName the name
     * @return a new instance of the class its services file names
     * @throws IllegalStateException if the adapter declares the name but has no usable services file for it
     */
    <T> T newInstance(String kind, String serviceName, Class<T> type) {
        String path = SERVICES + kind + "/" + serviceName;
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("adapter bundle " + name + " declares the " + kind + " " + serviceName
                        + " but has no " + path + ": fix the bundle (embed the component jar on its Bundle-ClassPath)");
            }
            properties.load(in);
            String className = properties.getProperty("class");
            if (className == null) {
                throw new IllegalStateException(path + " in adapter bundle " + name + " names no class");
            }
            Class<?> cls = loader.loadClass(className.trim());
            return type.cast(cls.getDeclaredConstructor().newInstance());
        } catch (IOException | ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new IllegalStateException("cannot create the " + kind + " " + serviceName + " of adapter bundle "
                    + name + ": " + e, e);
        }
    }

    /** Loads the adapter's type converters into {@code registry}; a loader that fails is logged and skipped. */
    void loadTypeConverters(TypeConverterRegistry registry) {
        for (String className : typeConverterLoaders()) {
            try {
                TypeConverterLoader tcl = (TypeConverterLoader) loader.loadClass(className).getDeclaredConstructor()
                        .newInstance();
                tcl.load(registry);
            } catch (Exception | LinkageError e) {
                LOG.warn("Adapter bundle {}: type converters {} not loaded: {}", name, className, e.toString());
            }
        }
    }

    private List<String> typeConverterLoaders() {
        List<String> out = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(TYPE_CONVERTER_LOADERS))) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
                }
            }
        } catch (IOException e) {
            LOG.warn("Adapter bundle {}: cannot read {}: {}", name, TYPE_CONVERTER_LOADERS, e.toString());
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
