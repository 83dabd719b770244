/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;
import java.util.Objects;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.outpost.api.module.AsyncInputHandler;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.ModuleNames;

/**
 * The {@code outpost} component of one module's Camel context: {@code outpost:input/<name>},
 * {@code outpost:output/<name>}, {@code outpost:method/<name>}. It speaks for the module through its
 * {@link ModuleClient} and registers the module's input and method handlers through its {@link Registrar}.
 */
public final class OutpostComponent extends DefaultComponent {

    /** The component's name in a route module's context. */
    public static final String NAME = "outpost";

    private final ModuleClient client;
    private final Registrar registrar;

    /**
     * @param client the module's client (outputs)
     * @param registrar registers services in the module's name (inputs, methods)
     */
    public OutpostComponent(ModuleClient client, Registrar registrar) {
        this.client = Objects.requireNonNull(client, "client");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
    }

    ModuleClient client() {
        return client;
    }

    Registrar registrar() {
        return registrar;
    }

    /** The option of {@code outpost:input/<name>}: how many messages may be in the route at once. */
    static final String IN_FLIGHT = "inFlight";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        int slash = remaining.indexOf('/');
        String kind = slash < 0 ? remaining : remaining.substring(0, slash);
        String name = slash < 0 ? "" : remaining.substring(slash + 1);
        OutpostEndpoint.Kind k = switch (kind) {
            case "input" -> OutpostEndpoint.Kind.INPUT;
            case "output" -> OutpostEndpoint.Kind.OUTPUT;
            case "method" -> OutpostEndpoint.Kind.METHOD;
            default -> throw new IllegalArgumentException("endpoint " + uri + " is not outpost:input/<name>,"
                    + " outpost:output/<name> or outpost:method/<name>");
        };
        try {
            ModuleNames.require(kind, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint " + uri + ": " + e.getMessage(), e);
        }
        int inFlight = AsyncInputHandler.DEFAULT_IN_FLIGHT;
        Object option = k == OutpostEndpoint.Kind.INPUT ? parameters.remove(IN_FLIGHT) : null;
        if (option != null) {
            try {
                inFlight = Integer.parseInt(option.toString().trim());
            } catch (NumberFormatException e) {
                inFlight = 0;
            }
            if (inFlight < 1 || inFlight > AsyncInputHandler.MAX_IN_FLIGHT) {
                throw new IllegalArgumentException("endpoint " + uri + ": option " + IN_FLIGHT + " is '" + option
                        + "'; give a whole number from 1 (one message at a time, in order even when one fails) to "
                        + AsyncInputHandler.MAX_IN_FLIGHT);
            }
        }
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException("endpoint " + uri + (k == OutpostEndpoint.Kind.INPUT
                    ? " takes only the option " + IN_FLIGHT : " takes no options") + ", but has " + parameters.keySet());
        }
        return new OutpostEndpoint(uri, this, k, name, inFlight);
    }
}
