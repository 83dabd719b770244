/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.BundleTracker;
import org.outpost.camel.api.CamelContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks adapter bundles: active bundles whose manifest names Camel components, data formats or languages
 * ({@link CamelContexts#COMPONENTS_HEADER} and the others). An adapter counts from when it is active until it stops.
 */
final class AdapterTracker extends BundleTracker<Adapter> {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterTracker.class);
    private final Adapters adapters;

    AdapterTracker(BundleContext context, Adapters adapters) {
        super(context, Bundle.ACTIVE, null);
        this.adapters = adapters;
    }

    @Override
    public Adapter addingBundle(Bundle bundle, BundleEvent event) {
        Set<String> components = Adapter.names(bundle.getHeaders("").get(CamelContexts.COMPONENTS_HEADER));
        Set<String> dataformats = Adapter.names(bundle.getHeaders("").get(CamelContexts.DATAFORMATS_HEADER));
        Set<String> languages = Adapter.names(bundle.getHeaders("").get(CamelContexts.LANGUAGES_HEADER));
        if (components.isEmpty() && dataformats.isEmpty() && languages.isEmpty()) {
            return null;
        }
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        if (loader == null) {
            LOG.warn("Adapter bundle {} has no class loader (is it a fragment?): ignored", bundle.getSymbolicName());
            return null;
        }
        Adapter adapter = new Adapter(bundle.getSymbolicName() + " " + bundle.getVersion(), loader, components,
                dataformats, languages);
        adapters.add(adapter);
        return adapter;
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Adapter adapter) {
        adapters.remove(adapter);
    }
}
