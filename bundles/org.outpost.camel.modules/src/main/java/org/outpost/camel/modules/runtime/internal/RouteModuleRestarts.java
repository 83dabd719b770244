/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime.internal;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.outpost.camel.api.CamelContexts;
import org.outpost.camel.api.CamelContexts.AdapterChange;
import org.outpost.camel.modules.api.RouteBundle;
import org.outpost.camel.modules.runtime.RouteModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activates route modules again when what they lacked may have come: when an adapter bundle comes, every route module
 * that failed for want of a component; when one goes, every route module that uses one of its components (which then
 * fails, naming the feature to install). A route module's component is disabled and enabled again through
 * {@link ServiceComponentRuntime}, in a thread of its own. A route module whose new properties do not fit is activated
 * again the same way, so that its failure is the module's reason.
 */
@Component(immediate = true)
public final class RouteModuleRestarts {

    private static final Logger LOG = LoggerFactory.getLogger(RouteModuleRestarts.class);
    private static final Map<Bundle, RouteModule> RUNNING = new ConcurrentHashMap<>();
    /** Route modules that failed for want of a component, data format or language: what they want. */
    private static final Map<Bundle, String> MISSING = new ConcurrentHashMap<>();
    private static volatile RouteModuleRestarts instance;

    private final ServiceComponentRuntime scr;
    private final CamelContexts contexts;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outpost-route-module-restarts");
        t.setDaemon(true);
        return t;
    });
    private final AutoCloseable listening;

    @Activate
    public RouteModuleRestarts(@Reference ServiceComponentRuntime scr, @Reference CamelContexts contexts) {
        this.scr = scr;
        this.contexts = contexts;
        // Before listening: a route module failing from now on finds this instance and checks the adapters itself.
        instance = this;
        this.listening = contexts.onAdaptersChanged(this::adaptersChanged);
        // Route modules that failed before this instance was there: their adapter may have come meanwhile.
        MISSING.forEach(this::restartIfServed);
    }

    @Deactivate
    void deactivate() throws Exception {
        instance = null;
        listening.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A route module's routes run. */
    public static void running(Bundle bundle, RouteModule module) {
        MISSING.remove(bundle);
        RUNNING.put(bundle, module);
    }

    /**
     * A route module failed to start its routes.
     *
     * @param missing the component nobody served ({@code dataformat:x}, {@code language:x} for those), if that is
     *        why; else null
     */
    public static void failed(Bundle bundle, String missing) {
        RUNNING.remove(bundle);
        if (missing == null) {
            MISSING.remove(bundle);
            return;
        }
        MISSING.put(bundle, missing);
        // An adapter that came after the routes failed and before the line above was missed by adaptersChanged.
        RouteModuleRestarts r = instance;
        if (r != null) {
            r.restartIfServed(bundle, missing);
        }
    }

    private void restartIfServed(Bundle bundle, String missing) {
        if (!missing.contains(":") && contexts.adapterComponents().containsKey(missing)) {
            LOG.info("Route module {}: component {} is served now: activating it again", bundle.getSymbolicName(),
                    missing);
            restart(bundle);
        }
    }

    /** A route module stopped. */
    public static void stopped(Bundle bundle, RouteModule module) {
        RUNNING.remove(bundle, module);
    }

    /** Activates the route module of {@code bundle} again, soon, in another thread. */
    public static void restart(Bundle bundle) {
        RouteModuleRestarts r = instance;
        if (r != null) {
            r.executor.execute(() -> r.reactivate(bundle));
        }
    }

    private void adaptersChanged(AdapterChange change) {
        if (change.added()) {
            MISSING.keySet().forEach(RouteModuleRestarts::restart);
        } else {
            RUNNING.forEach((bundle, module) -> {
                if (!Collections.disjoint(module.componentNames(), change.components())) {
                    LOG.info("Route module {} uses components of {}, which left: activating it again",
                            bundle.getSymbolicName(), change.bundle());
                    restart(bundle);
                }
            });
        }
    }

    private void reactivate(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE) {
            MISSING.remove(bundle);
            RUNNING.remove(bundle);
            return;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            if (!RouteBundle.COMPONENT_CLASS.equals(d.implementationClass)) {
                continue;
            }
            try {
                scr.disableComponent(d).getValue();
                scr.enableComponent(d).getValue();
                LOG.info("Route module {} activated again", bundle.getSymbolicName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("Route module {} could not be activated again: {}", bundle.getSymbolicName(), e.toString());
            }
        }
    }
}
