/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;
import org.outpost.camel.api.CamelContexts;
import org.outpost.camel.modules.api.RouteBundle;

/** Route modules that failed for want of a component are activated again when it is there, also when it came first. */
class RouteModuleRestartsTest {

    private final Map<String, String> adapters = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Bundle> bundles = new CopyOnWriteArrayList<>();
    private RouteModuleRestarts restarts;

    @AfterEach
    void deactivate() throws Exception {
        bundles.forEach(b -> RouteModuleRestarts.failed(b, null));
        if (restarts != null) {
            restarts.deactivate();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return (T) Proxy.newProxyInstance(RouteModuleRestartsTest.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private CamelContexts contexts() {
        return proxy(CamelContexts.class, (p, m, a) -> switch (m.getName()) {
            case "adapterComponents" -> Map.copyOf(adapters);
            case "onAdaptersChanged" -> (AutoCloseable) () -> { };
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    private ServiceComponentRuntime scr() {
        Promise<Void> done = proxy(Promise.class, (p, m, a) -> null);
        return proxy(ServiceComponentRuntime.class, (p, m, a) -> switch (m.getName()) {
            case "getComponentDescriptionDTOs" -> {
                ComponentDescriptionDTO d = new ComponentDescriptionDTO();
                d.implementationClass = RouteBundle.COMPONENT_CLASS;
                d.name = "routes";
                yield List.of(d);
            }
            case "disableComponent", "enableComponent" -> {
                calls.add(m.getName());
                yield done;
            }
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    private Bundle bundle(String name) {
        Bundle bundle = proxy(Bundle.class, (p, m, a) -> switch (m.getName()) {
            case "getState" -> Bundle.ACTIVE;
            case "getSymbolicName", "toString" -> name;
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            default -> throw new UnsupportedOperationException(m.getName());
        });
        bundles.add(bundle);
        return bundle;
    }

    @Test
    void aModuleWhoseAdapterCameBeforeItsFailureWasRecordedIsActivatedAgain() {
        restarts = new RouteModuleRestarts(scr(), contexts());
        adapters.put("milo-client", "org.outpost.adapter.opcua 1.0.0");

        RouteModuleRestarts.failed(bundle("outpost.routes.opc"), "milo-client");

        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("disableComponent", "enableComponent");
    }

    @Test
    void aModuleWhoseComponentIsStillMissingWaits() {
        restarts = new RouteModuleRestarts(scr(), contexts());
        Bundle b = bundle("outpost.routes.opc2");
        RouteModuleRestarts.failed(b, "milo-client");
        RouteModuleRestarts.failed(bundle("outpost.routes.other"), null);
        // The restarts' single thread runs in order: a restart asked now runs after any the failures asked for.
        RouteModuleRestarts.restart(b);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("disableComponent", "enableComponent");
    }
}
