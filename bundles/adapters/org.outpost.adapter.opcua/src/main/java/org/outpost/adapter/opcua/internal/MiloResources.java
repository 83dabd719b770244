/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.internal;

import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.stack.core.Stack;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Milo keeps shared thread pools, an event loop and a timer in static fields (its clients and servers all use them);
 * they would outlive this bundle and hold its class loader when it stops or is updated. This component, active while
 * the bundle is, releases them when it stops; components of this bundle that run Milo reference it, so that they are
 * deactivated first.
 */
@Component(immediate = true, service = MiloResources.class)
public final class MiloResources {

    @Deactivate
    void deactivate() {
        Stack.releaseSharedResources(5, TimeUnit.SECONDS);
    }
}
