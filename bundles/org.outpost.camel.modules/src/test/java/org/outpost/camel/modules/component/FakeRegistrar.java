/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.outpost.api.module.AsyncInputHandler;
import org.outpost.api.module.InputHandler;
import org.outpost.api.module.MethodHandler;

/** Keeps the services a module registers, as the service registry would for the gateway. */
public final class FakeRegistrar implements Registrar {

    /** The inputs as the gateway sees them, with the in-flight limit each was registered with. */
    public final Map<String, AsyncInputHandler> asyncInputs = new ConcurrentHashMap<>();
    public final Map<String, Object> inFlight = new ConcurrentHashMap<>();
    /** The same, each waiting for its message to be done (as a one-at-a-time delivery would), failing as it failed. */
    public final Map<String, InputHandler> inputs = new ConcurrentHashMap<>();
    public final Map<String, MethodHandler> methods = new ConcurrentHashMap<>();

    @Override
    public <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties) {
        if (type == AsyncInputHandler.class) {
            String name = (String) properties.get(AsyncInputHandler.INPUT);
            AsyncInputHandler handler = (AsyncInputHandler) service;
            if (asyncInputs.putIfAbsent(name, handler) != null) {
                throw new IllegalStateException("input " + name + " registered twice");
            }
            inFlight.put(name, properties.get(AsyncInputHandler.IN_FLIGHT));
            InputHandler blocking = message -> {
                try {
                    handler.onMessage(message).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            };
            inputs.put(name, blocking);
            return () -> {
                asyncInputs.remove(name, service);
                inputs.remove(name, blocking);
            };
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
