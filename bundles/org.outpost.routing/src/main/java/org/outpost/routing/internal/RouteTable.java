/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.outpost.routing.language.CompiledRoute;
import org.outpost.routing.language.RouteCompileException;
import org.outpost.routing.language.RouteLanguage;
import org.outpost.routing.language.RouteMessage;
import org.outpost.routing.language.Sink;

/** An immutable, compiled set of routes. */
record RouteTable(List<CompiledRoute> routes) {

    /** Configuration keys that hold routes start with this prefix: {@code route.<name> = FROM ... INTO ...}. */
    static final String KEY_PREFIX = "route.";

    /** The endpoint queue of {@code $upstream}. */
    static final String UPSTREAM_QUEUE = "outpost.endpoint.upstream";

    RouteTable {
        routes = List.copyOf(routes);
    }

    /**
     * @param properties configuration properties; every {@code route.<name>} key is a route
     * @return the routes, sorted by name
     * @throws IllegalArgumentException naming every bad route and what is wrong with it; nothing is applied then
     */
    static RouteTable fromProperties(Map<String, ?> properties) {
        Map<String, String> sorted = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(KEY_PREFIX) && v != null) {
                sorted.put(k.substring(KEY_PREFIX.length()), v.toString());
            }
        });
        List<CompiledRoute> routes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        sorted.forEach((name, text) -> {
            try {
                routes.add(RouteLanguage.compileRoute(name, text));
            } catch (RouteCompileException e) {
                errors.add(e.getMessage());
            }
        });
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new RouteTable(routes);
    }

    /**
     * @param message a message
     * @param taken told of every route that takes it
     * @return the endpoint queues the routes send it to, each once, in route order
     */
    Set<String> endpointsFor(RouteMessage message, java.util.function.Consumer<CompiledRoute> taken) {
        Set<String> queues = new LinkedHashSet<>();
        for (CompiledRoute r : routes) {
            if (r.decide(message).taken()) {
                taken.accept(r);
                queues.add(queueOf(r.sink()));
            }
        }
        return queues;
    }

    /** @return the broker queue of an endpoint */
    static String queueOf(Sink sink) {
        return sink.isUpstream() ? UPSTREAM_QUEUE : "outpost.modules." + sink.module() + ".inputs." + sink.input();
    }

    /** @return the source path of a module's output */
    static String sourceOf(String module, String output) {
        return "/messages/modules/" + module + "/outputs/" + output;
    }
}
