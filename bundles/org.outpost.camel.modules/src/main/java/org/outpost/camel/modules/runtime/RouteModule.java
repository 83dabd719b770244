/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.ModuleTwin;
import org.outpost.camel.api.CamelContexts;
import org.outpost.camel.modules.api.RouteBundle;
import org.outpost.camel.modules.component.Registrar;
import org.outpost.camel.modules.runtime.internal.RouteModuleRestarts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component of a route module's bundle ({@link RouteBundle#componentXml}): runs the routes of the files the
 * bundle's {@value RouteBundle#ROUTES_HEADER} header lists in a Camel context named after the module, with the
 * module's configuration (its desired properties, flattened) as the routes' properties. A configuration change
 * reloads the routes. A file that does not parse, a placeholder without a value, a component nobody serves: the
 * activation fails with {@code <file> line L, column C: <what>}, which {@code edge:list} shows as the module's reason.
 * When an adapter bundle comes, route modules that failed are activated again; when one goes, those using its
 * components are.
 * <p>
 * Declarative Services makes it (it is not a service): the fields are set by DS (field injection), so they keep their
 * names.
 */
public final class RouteModule {

    private static final Logger LOG = LoggerFactory.getLogger(RouteModule.class);

    /** The module's client (DS field reference {@code client}). */
    private ModuleClient client;
    /** The module's twin (DS field reference {@code twin}, optional and dynamic). */
    private volatile ModuleTwin twin;
    /** Makes the context (DS field reference {@code contexts}). */
    private CamelContexts contexts;

    private Bundle bundle;
    private String module;
    /** Read by the restarts' threads ({@link #componentNames()}). */
    private volatile ModuleRoutes routes;

    /** For Declarative Services. */
    public RouteModule() {
    }

    void activate(BundleContext context, Map<String, Object> configuration) throws RouteModuleException {
        bundle = context.getBundle();
        module = bundle.getHeaders("").get(RouteBundle.MODULE_HEADER);
        List<RouteFile> files = files(bundle);
        ClassLoader loader = bundle.adapt(BundleWiring.class).getClassLoader();
        routes = new ModuleRoutes(module, loader, files, contexts, client, Registrar.of(context));
        try {
            routes.start(properties(configuration));
        } catch (RouteModuleException e) {
            LOG.warn("Route module {} does not run: {}", module, e.getMessage());
            RouteModuleRestarts.failed(bundle, e.missing());
            throw e;
        }
        RouteModuleRestarts.running(bundle, this);
    }

    void modified(Map<String, Object> configuration) throws RouteModuleException {
        try {
            routes.start(properties(configuration));
            LOG.info("Route module {}: routes reloaded with its new properties", module);
        } catch (RouteModuleException e) {
            // Activated again, the component fails with this reason, which edge:list shows.
            LOG.warn("Route module {}: its new properties do not fit: {}", module, e.getMessage());
            RouteModuleRestarts.restart(bundle);
            throw e;
        }
    }

    void deactivate() {
        RouteModuleRestarts.stopped(bundle, this);
        if (routes != null) {
            routes.stop();
        }
    }

    /** @return the names of the Camel components the running routes use */
    public Set<String> componentNames() {
        ModuleRoutes r = routes;
        return r == null ? Set.of() : r.componentNames();
    }

    private Map<String, String> properties(Map<String, Object> configuration) {
        Map<String, String> out = new LinkedHashMap<>();
        ModuleTwin t = twin;
        if (t != null) {
            try {
                out.putAll(ModuleProperties.ofDesired(t.desired()));
            } catch (RuntimeException e) {
                LOG.debug("Route module {}: no desired properties from its twin: {}", module, e.toString());
            }
        }
        out.putAll(ModuleProperties.of(configuration));
        return out;
    }

    /** @return the bundle's route files, in the order its header lists them */
    static List<RouteFile> files(Bundle bundle) throws RouteModuleException {
        String header = bundle.getHeaders("").get(RouteBundle.ROUTES_HEADER);
        if (header == null || header.isBlank()) {
            throw new RouteModuleException("bundle " + bundle.getSymbolicName() + " has no "
                    + RouteBundle.ROUTES_HEADER + " header: it lists no route files", null);
        }
        List<RouteFile> files = new ArrayList<>();
        for (String path : Arrays.stream(header.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            URL url = bundle.getEntry(path);
            if (url == null) {
                throw new RouteModuleException(path + ": not in bundle " + bundle.getSymbolicName()
                        + " (its " + RouteBundle.ROUTES_HEADER + " header names it)", null);
            }
            try (InputStream in = url.openStream()) {
                files.add(new RouteFile(path, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new RouteModuleException(path + ": cannot be read: " + e.getMessage(), e);
            }
        }
        return files;
    }
}
