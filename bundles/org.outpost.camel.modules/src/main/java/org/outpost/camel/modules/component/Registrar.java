/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;

import org.osgi.framework.BundleContext;

/**
 * Registers the services that the {@code outpost} component's consumers are (an {@code AsyncInputHandler} per input, a
 * {@code MethodHandler} per method) in the name of the module: from the module bundle's {@link BundleContext}, so that
 * the gateway delivers the module's inputs and methods to them.
 */
@FunctionalInterface
public interface Registrar {

    /**
     * @param type the service interface
     * @param service the service
     * @param properties its service properties
     * @return unregisters it
     */
    <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties);

    /** @return a registrar registering from {@code context} */
    static Registrar of(BundleContext context) {
        return new Registrar() {
            @Override
            public <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties) {
                org.osgi.framework.ServiceRegistration<S> reg = context.registerService(type, service,
                        new java.util.Hashtable<>(properties));
                return () -> {
                    try {
                        reg.unregister();
                    } catch (IllegalStateException alreadyGone) {
                        // the bundle stopped first: its services are gone
                    }
                };
            }
        };
    }
}
