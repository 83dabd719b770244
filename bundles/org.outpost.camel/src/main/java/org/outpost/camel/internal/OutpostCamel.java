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

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.sjms.SjmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.SupervisingRouteController;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the gateway's one CamelContext. Every {@link RoutesBuilder} service's routes are added when the service comes
 * and removed when it goes. Routes run under a supervising route controller, so a route whose endpoint is not ready
 * yet (the broker still starting) is retried with back-off instead of failing the context.
 * <p>
 * The {@code sjms} component is bound to the embedded broker.
 */
@Component(immediate = true, configurationPid = "org.outpost.camel")
@Designate(ocd = OutpostCamel.Config.class)
public final class OutpostCamel {

    @ObjectClassDefinition(name = "Outpost Camel", description = "The gateway's Camel context.")
    public @interface Config {
        @AttributeDefinition(description = "Name of the Camel context.")
        String name() default "outpost";

        @AttributeDefinition(description = "JMS connection URL of the broker used by the sjms component. A consumer"
                + " window of 0 makes consumers take one message at a time, so a higher-priority message overtakes"
                + " a backlog instead of waiting behind messages already buffered.")
        String broker_url() default "vm://0?consumerWindowSize=0";

        @AttributeDefinition(description = "Delay (ms) before retrying a route that failed to start.")
        long route_retry_delay_ms() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(OutpostCamel.class);
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final DefaultCamelContext camel;
    private final JmsPoolConnectionFactory connectionFactory;
    private final Map<RoutesBuilder, Set<String>> routesByBuilder = new IdentityHashMap<>();

    @Activate
    public OutpostCamel(Config config) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        try {
            camel = new DefaultCamelContext(false);
            camel.getCamelContextExtension().setName(config.name());
            camel.setApplicationContextClassLoader(getClass().getClassLoader());
            SupervisingRouteController supervisor = camel.getRouteController().supervising();
            supervisor.setBackOffDelay(config.route_retry_delay_ms());
            supervisor.setBackOffMaxDelay(30_000);
            supervisor.setBackOffMaxAttempts(0);
            supervisor.setInitialDelay(0);
            connectionFactory = new JmsPoolConnectionFactory();
            // sjms opens a connection and session per exchange it produces; the pool makes that a cache hit.
            connectionFactory.setConnectionFactory(new ActiveMQConnectionFactory(config.broker_url()));
            connectionFactory.setMaxConnections(1);
            connectionFactory.setMaxSessionsPerConnection(100);
            SjmsComponent sjms = new SjmsComponent();
            sjms.setConnectionFactory(connectionFactory);
            camel.addComponent("sjms", sjms);
            // Messages in flight are in transactions: a route that stops rolls them back, they stay queued.
            camel.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
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
        connectionFactory.stop();
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
