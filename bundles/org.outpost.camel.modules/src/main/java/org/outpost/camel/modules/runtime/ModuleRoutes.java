/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.dsl.support.RouteBuilderLoaderSupport;
import org.apache.camel.dsl.xml.io.XmlRoutesBuilderLoader;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.support.ResourceHelper;
import org.outpost.api.module.ModuleClient;
import org.outpost.camel.api.CamelContexts;
import org.outpost.camel.modules.component.OutpostComponent;
import org.outpost.camel.modules.component.Registrar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of one route module in a Camel context of its own (named after the module): made from the module's route
 * files with its properties, replaced when they change, stopped with the module. Not thread-safe: its owner calls it
 * from the component's lifecycle.
 */
public final class ModuleRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleRoutes.class);
    /** How long a stopping route waits for its exchanges in flight; then they fail (input messages stay queued). */
    static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final String module;
    private final ClassLoader applicationClassLoader;
    private final List<RouteFile> files;
    private final CamelContexts contexts;
    private final ModuleClient client;
    private final Registrar registrar;
    /** Read from other threads (the restarts', shell commands). */
    private volatile CamelContext camel;

    /**
     * @param module the module id (the context's name)
     * @param applicationClassLoader finds the classes routes name (the route bundle's, which imports any package)
     * @param files the route files, loaded in this order
     * @param contexts makes the context
     * @param client the module's client
     * @param registrar registers the module's input and method handlers
     */
    public ModuleRoutes(String module, ClassLoader applicationClassLoader, List<RouteFile> files,
            CamelContexts contexts, ModuleClient client, Registrar registrar) {
        this.module = module;
        this.applicationClassLoader = applicationClassLoader;
        this.files = List.copyOf(files);
        this.contexts = contexts;
        this.client = client;
        this.registrar = registrar;
    }

    /**
     * Starts the routes with these properties, stopping those that ran before.
     *
     * @param properties the module's properties (placeholder values)
     * @throws RouteModuleException naming the file, line and column of what is wrong; no route runs then
     */
    public void start(Map<String, String> properties) throws RouteModuleException {
        stop();
        long t0 = System.nanoTime();
        CamelContext c = newContext(properties);
        try {
            for (RouteFile file : files) {
                Placeholders.check(file, properties);
                load(c, file);
            }
            // Camel's own loader as the context class loader while it starts, as for the gateway's context (it finds
            // Camel's resources through it); the routes' classes come from the application class loader.
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(c.getClass().getClassLoader());
            try {
                c.start();
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        } catch (RouteModuleException e) {
            throw stopAfter(c, e);
        } catch (Exception e) {
            throw stopAfter(c, RouteErrors.whenStarting(files, c, e));
        }
        camel = c;
        LOG.info("Route module {}: {} routes of {} started in {} ms", module, c.getRoutes().size(),
                files.stream().map(RouteFile::path).toList(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** @return {@code e}, after stopping {@code c}; a failure to stop is suppressed in it, not in its place */
    private RouteModuleException stopAfter(CamelContext c, RouteModuleException e) {
        try {
            c.stop();
        } catch (RuntimeException stopping) {
            LOG.debug("Route module {}: stopping the context that did not start failed: {}", module,
                    stopping.toString());
            e.addSuppressed(stopping);
        }
        return e;
    }

    /** Stops the routes (their consumers first: input and method handlers go away, messages stay queued). */
    public void stop() {
        CamelContext c = camel;
        camel = null;
        if (c != null) {
            try {
                c.stop();
            } catch (RuntimeException e) {
                LOG.warn("Route module {}: stopping its Camel context failed: {}", module, e.toString(), e);
            }
        }
    }

    /** @return the running context, null when stopped */
    public CamelContext context() {
        return camel;
    }

    /** @return the names of the components the running routes use (empty when stopped) */
    public Set<String> componentNames() {
        CamelContext c = camel;
        return c == null ? Set.of() : new TreeSet<>(c.getComponentNames());
    }

    private CamelContext newContext(Map<String, String> properties) {
        CamelContext c = contexts.newContext(module, applicationClassLoader);
        c.getExecutorServiceManager().setThreadPoolFactory(new ModuleThreadPoolFactory(client.threadFactory()));
        c.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        c.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        c.setSourceLocationEnabled(true);
        c.addComponent(OutpostComponent.NAME, new OutpostComponent(client, registrar));
        Properties initial = new Properties();
        initial.putAll(new LinkedHashMap<>(properties));
        c.getPropertiesComponent().setInitialProperties(initial);
        // The module's properties are the only source of {{name}}: a JVM system property or an environment variable of
        // the same name must not override them (Camel's default). {{sys:x}} and {{env:X}} still read them explicitly.
        if (c.getPropertiesComponent() instanceof PropertiesComponent pc) {
            pc.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
            pc.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        } else {
            throw new IllegalStateException("Route module " + module + ": unexpected properties component "
                    + c.getPropertiesComponent().getClass().getName());
        }
        return c;
    }

    private static void load(CamelContext c, RouteFile file) throws RouteModuleException {
        RouteBuilderLoaderSupport loader = file.xml() ? new XmlRoutesBuilderLoader() : new YamlRoutesBuilderLoader();
        loader.setCamelContext(c);
        try {
            loader.start();
            RoutesBuilder builder = loader.loadRoutesBuilder(ResourceHelper.fromString(file.path(), file.text()));
            c.addRoutes(builder);
        } catch (Exception e) {
            throw RouteErrors.inFile(file, e);
        } finally {
            loader.stop();
        }
    }
}
