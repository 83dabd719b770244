/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.camel.api.CamelContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the gateway's one CamelContext. Every {@link RoutesBuilder} service's routes are added when the service comes
 * and removed when it goes. Routes run under a supervising route controller, so a route whose endpoint is not ready
 * yet (the broker still starting) is retried with back-off instead of failing the context. The context comes from
 * {@link CamelContexts}, so it also resolves the components of adapter bundles.
 */
@Component(immediate = true, configurationPid = "org.outpost.camel")
@Designate(ocd = OutpostCamel.Config.class)
public final class OutpostCamel {

    @ObjectClassDefinition(name = "Outpost Camel", description = "The gateway's Camel context.")
    public @interface Config {
        @AttributeDefinition(description = "Name of the Camel context.")
        String name() default "outpost";

        @AttributeDefinition(description = "Delay (ms) before retrying a route that failed to start.")
        long route_retry_delay_ms() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(OutpostCamel.class);
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final CamelContext camel;
    private final Map<RoutesBuilder, Set<String>> routesByBuilder = new IdentityHashMap<>();

    @Activate
    public OutpostCamel(@Reference CamelContexts contexts, Config config) throws Exception {
        camel = contexts.newContext(config.name(), getClass().getClassLoader());
        camel.getRouteController().supervising().setBackOffDelay(config.route_retry_delay_ms());
        camel.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        try {
            long t0 = System.nanoTime();
            camel.start();
            LOG.info("Camel {} context '{}' started in {} ms", camel.getVersion(), config.name(),
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Deactivate
    void deactivate() {
        camel.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindRoutesBuilder(RoutesBuilder builder) {
        Set<String> before = routeIds();
        try {
            camel.addRoutes(builder);
        } catch (Exception e) {
            LOG.error("Cannot add the routes of {}: {}", builder, e.getMessage(), e);
            return;
        }
        Set<String> added = routeIds();
        added.removeAll(before);
        routesByBuilder.put(builder, added);
        // Routes added to a running context are not started by the supervisor on their own; a route whose endpoint
        // cannot start yet (broker not up) is handed to the supervisor, which retries it with back-off.
        for (String id : added) {
            try {
                camel.getRouteController().startRoute(id);
            } catch (Exception e) {
                LOG.warn("Route {} did not start yet ({}); retrying with back-off", id, e.getMessage());
            }
        }
        LOG.info("Added routes {} from {}", added, builder.getClass().getName());
    }

    synchronized void unbindRoutesBuilder(RoutesBuilder builder) {
        Set<String> ids = routesByBuilder.remove(builder);
        if (ids == null) {
            return;
        }
        for (String id : ids) {
            try {
                camel.getRouteController().stopRoute(id, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Cannot remove route {}: {}", id, e.getMessage(), e);
            }
        }
        LOG.info("Removed routes {} of {}", ids, builder.getClass().getName());
    }

    /** @return the ids of the routes in the context (for tests) */
    synchronized Set<String> routeIdsForTest() {
        return routeIds();
    }

    private Set<String> routeIds() {
        List<Route> routes = camel.getRoutes();
        return routes.stream().map(Route::getRouteId).collect(Collectors.toCollection(HashSet::new));
    }
}
