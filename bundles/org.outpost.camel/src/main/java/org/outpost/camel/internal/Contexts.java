/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.spi.DataFormatResolver;
import org.apache.camel.spi.LanguageResolver;
import org.apache.camel.spi.SupervisingRouteController;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.outpost.camel.api.CamelContexts;

/**
 * The {@link CamelContexts} service: makes contexts that resolve the components of adapter bundles, tracked by
 * {@link AdapterTracker}. An adapter that comes later has its type converters loaded into every context made before
 * that is still running.
 */
@Component(service = CamelContexts.class)
public final class Contexts implements CamelContexts {

    /** Delay (ms) before the supervising route controller retries a route that failed to start, doubling to 30 s. */
    static final long ROUTE_RETRY_DELAY_MS = 1000;
    static final long ROUTE_RETRY_MAX_DELAY_MS = 30_000;

    private final Adapters adapters = new Adapters();
    private final Set<CamelContext> made = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final AdapterTracker tracker;

    @Activate
    public Contexts(BundleContext bundleContext) {
        adapters.listen(this::loadConvertersOfNewAdapter);
        tracker = bundleContext == null ? null : new AdapterTracker(bundleContext, adapters);
        if (tracker != null) {
            tracker.open();
        }
    }

    @Deactivate
    void deactivate() {
        if (tracker != null) {
            tracker.close();
        }
    }

    /** For tests: the adapters this service knows, to add some without OSGi. */
    Adapters adapters() {
        return adapters;
    }

    @Override
    public CamelContext newContext(String name, ClassLoader applicationClassLoader) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Contexts.class.getClassLoader());
        try {
            DefaultCamelContext camel = new DefaultCamelContext(false);
            camel.getCamelContextExtension().setName(name);
            camel.setApplicationContextClassLoader(applicationClassLoader != null ? applicationClassLoader
                    : Contexts.class.getClassLoader());
            GatewayClassResolver classResolver = new GatewayClassResolver(adapters);
            classResolver.setCamelContext(camel);
            camel.setClassResolver(classResolver);
            GatewayResolvers resolvers = new GatewayResolvers(adapters);
            camel.getCamelContextExtension().addContextPlugin(ComponentResolver.class, resolvers);
            camel.getCamelContextExtension().addContextPlugin(DataFormatResolver.class, resolvers);
            camel.getCamelContextExtension().addContextPlugin(LanguageResolver.class, resolvers);
            SupervisingRouteController supervisor = camel.getRouteController().supervising();
            supervisor.setBackOffDelay(ROUTE_RETRY_DELAY_MS);
            supervisor.setBackOffMaxDelay(ROUTE_RETRY_MAX_DELAY_MS);
            supervisor.setBackOffMaxAttempts(0);
            supervisor.setInitialDelay(0);
            camel.build();
            for (Adapter a : adapters.all()) {
                a.loadTypeConverters(camel.getTypeConverterRegistry());
            }
            made.add(camel);
            return camel;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public Map<String, String> adapterComponents() {
        return adapters.components();
    }

    @Override
    public String missingComponentHint(String component) {
        return Adapters.hint("component", component);
    }

    @Override
    public AutoCloseable onAdaptersChanged(Consumer<AdapterChange> listener) {
        return adapters.listen(listener);
    }

    private void loadConvertersOfNewAdapter(AdapterChange change) {
        if (!change.added()) {
            return;
        }
        Adapter adapter = adapters.all().stream().filter(a -> a.name().equals(change.bundle())).findFirst()
                .orElse(null);
        if (adapter == null) {
            return;
        }
        CamelContext[] contexts;
        synchronized (made) {
            contexts = made.toArray(new CamelContext[0]);
        }
        for (CamelContext c : contexts) {
            if (!c.isStopped()) {
                adapter.loadTypeConverters(c.getTypeConverterRegistry());
            }
        }
    }
}
