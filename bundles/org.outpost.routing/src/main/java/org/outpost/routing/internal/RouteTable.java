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

/** An immutable, validated set of routes. */
record RouteTable(List<Route> routes) {

    /** Configuration keys that hold routes start with this prefix: {@code route.<name> = FROM ... INTO ...}. */
    static final String KEY_PREFIX = "route.";

    RouteTable {
        routes = List.copyOf(routes);
    }

    /**
     * @param properties configuration properties; every {@code route.<name>} key is a route
     * @return the routes, sorted by name
     * @throws IllegalArgumentException naming every bad route; nothing is applied then
     */
    static RouteTable fromProperties(Map<String, ?> properties) {
        Map<String, String> sorted = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(KEY_PREFIX) && v != null) {
                sorted.put(k.substring(KEY_PREFIX.length()), v.toString());
            }
        });
        List<Route> routes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        sorted.forEach((name, text) -> {
            try {
                routes.add(Route.parse(name, text));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        });
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new RouteTable(routes);
    }

    /**
     * @param module the sending module
     * @param output its output
     * @return the endpoint queues the message goes to, each once, in route order
     */
    Set<String> endpointsFor(String module, String output) {
        String source = "/messages/modules/" + module + "/outputs/" + output;
        Set<String> sinks = new LinkedHashSet<>();
        for (Route r : routes) {
            if (r.matches(source)) {
                sinks.add(r.sink());
            }
        }
        return sinks;
    }
}
