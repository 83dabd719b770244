/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.outpost.api.module.InputHandler;
import org.outpost.api.module.MethodHandler;

/** Keeps the services a module registers, as the service registry would for the gateway. */
public final class FakeRegistrar implements Registrar {

    public final Map<String, InputHandler> inputs = new ConcurrentHashMap<>();
    public final Map<String, MethodHandler> methods = new ConcurrentHashMap<>();

    @Override
    public <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties) {
        if (type == InputHandler.class) {
            String name = (String) properties.get(InputHandler.INPUT);
            if (inputs.putIfAbsent(name, (InputHandler) service) != null) {
                throw new IllegalStateException("input " + name + " registered twice");
            }
            return () -> inputs.remove(name, service);
        }
        if (type == MethodHandler.class) {
            String name = (String) properties.get(MethodHandler.NAME);
            if (methods.putIfAbsent(name, (MethodHandler) service) != null) {
                throw new IllegalStateException("method " + name + " registered twice");
            }
            return () -> methods.remove(name, service);
        }
        throw new IllegalArgumentException("unexpected service " + type);
    }
}
