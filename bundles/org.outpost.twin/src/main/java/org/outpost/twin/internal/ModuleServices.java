/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.ModuleResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services modules register on the twins' whiteboards (desired-properties listeners, method handlers). The
 * whiteboards keep service references and get a service only to call it, here: a module's component that is a
 * listener or method handler and also uses its ModuleTwin must not be activated by the twins binding it.
 */
final class ModuleServices {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleServices.class);

    private final BundleContext context;
    /** The runtime's accounting, when there: a call is the calling module's CPU time and allocations. */
    private volatile ModuleResources resources;

    ModuleServices(BundleContext context) {
        this.context = context;
    }

    /** @param resources where each call's CPU time and allocations are counted for its module; null for nowhere */
    void measureWith(ModuleResources resources) {
        this.resources = resources;
    }

    /** @return the accounting calls are measured with now, or null */
    ModuleResources measuredWith() {
        return resources;
    }

    /**
     * Calls a whiteboard service, getting it for the call only.
     *
     * @throws IllegalStateException if the service is gone
     */
    <T, R> R call(ServiceReference<T> ref, Function<T, R> action) {
        ServiceObjects<T> objects = context.getServiceObjects(ref);
        T service = objects == null ? null : objects.getService();
        if (service == null) {
            throw new IllegalStateException("the module's service is gone");
        }
        ModuleResources r = resources;
        String module = r == null ? null : moduleOf(ref);
        try (ModuleResources.Measurement m = module == null ? null : r.measure(module)) {
            return action.apply(service);
        } finally {
            objects.ungetService(service);
        }
    }

    /** @return the module id of the bundle that registered the service, or null (logged) if it declares none */
    static String moduleOf(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        String module = b == null ? null : b.getHeaders("").get(EdgeModule.HEADER);
        if (!ModuleNames.isValid(module)) {
            LOG.warn("Bundle {} registers a module service but declares no valid module id ({}): ignored",
                    b == null ? "?" : b.getSymbolicName(), EdgeModule.HEADER);
            return null;
        }
        return module;
    }
}
