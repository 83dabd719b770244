/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.outpost.api.message.Message;
import org.outpost.hub.routing.HubRouting;
import org.outpost.routelanguage.Condition;
import org.outpost.routelanguage.RouteCompileException;
import org.outpost.routelanguage.RouteLanguage;
import org.outpost.routelanguage.RouteMessage;
import org.outpost.routelanguage.Tri;

/**
 * The enabled routes, compiled: which endpoints a device message goes to. As in IoT Hub, a message that matches
 * several routes to one endpoint goes there once (named after the first route, by name), and a message that matches
 * no route goes to the built-in endpoint while the fallback route is enabled.
 */
final class RouteTable {

    /** Where one message goes. */
    record Match(String route, String endpoint) {
    }

    private record Compiled(HubRouting.Route route, Condition condition) {
    }

    /** The source path routes' conditions see (twin_change_includes is refused for device messages). */
    static final String SOURCE = "/messages/events";

    private final List<Compiled> routes;
    private final boolean fallback;

    private RouteTable(List<Compiled> routes, boolean fallback) {
        this.routes = routes;
        this.fallback = fallback;
    }

    static final RouteTable EMPTY = new RouteTable(List.of(), false);

    /** @return the table of the enabled DeviceMessages routes; a route that no longer compiles is left out */
    static RouteTable of(List<HubRouting.Route> all) {
        List<Compiled> out = new ArrayList<>();
        boolean fallback = false;
        for (HubRouting.Route r : all) {
            if (!r.enabled() || !"DeviceMessages".equals(r.source())) {
                continue;
            }
            if (r.name().equals(HubRouting.FALLBACK)) {
                fallback = true;
                continue;
            }
            try {
                out.add(new Compiled(r, compile(r.condition())));
            } catch (IllegalArgumentException e) {
                // Checked when it was saved; a route language change could refuse it: it matches nothing.
                continue;
            }
        }
        return new RouteTable(List.copyOf(out), fallback);
    }

    /** @throws IllegalArgumentException with the column when it does not compile */
    static Condition compile(String condition) {
        try {
            return RouteLanguage.compileCondition(condition, SOURCE);
        } catch (RouteCompileException e) {
            throw new IllegalArgumentException("condition: " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return routes.isEmpty() && !fallback;
    }

    /** @return the routes matching the message and their endpoints */
    List<Match> match(Message message) {
        if (isEmpty()) {
            return List.of();
        }
        RouteMessage rm = RouteMessage.of(SOURCE, message);
        Map<String, Match> byEndpoint = new LinkedHashMap<>();
        boolean matched = false;
        for (Compiled c : routes) {
            if (c.condition().evaluate(rm) == Tri.TRUE) {
                matched = true;
                for (String e : c.route().endpoints()) {
                    byEndpoint.putIfAbsent(e, new Match(c.route().name(), e));
                }
            }
        }
        if (!matched && fallback) {
            return List.of(new Match(HubRouting.FALLBACK, HubRouting.BUILT_IN));
        }
        return List.copyOf(byEndpoint.values());
    }

    /** @return the names of the enabled routes a message takes */
    List<String> routesOf(Message message) {
        List<String> out = new ArrayList<>();
        RouteMessage rm = RouteMessage.of(SOURCE, message);
        for (Compiled c : routes) {
            if (c.condition().evaluate(rm) == Tri.TRUE) {
                out.add(c.route().name());
            }
        }
        if (out.isEmpty() && fallback) {
            out.add(HubRouting.FALLBACK);
        }
        return out;
    }
}
