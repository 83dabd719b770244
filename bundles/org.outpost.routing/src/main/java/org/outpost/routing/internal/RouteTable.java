/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.outpost.routelanguage.CompiledRoute;
import org.outpost.routelanguage.RouteCompileException;
import org.outpost.routelanguage.RouteLanguage;
import org.outpost.routelanguage.RouteMessage;
import org.outpost.routelanguage.Sink;

/**
 * An immutable, compiled set of routes with their priorities and times to live.
 *
 * @param routes the routes, sorted by name
 * @param priorities each route's priority (0 highest, 9 lowest), absent for routes without one
 * @param timeToLiveSecs each route's time to live in seconds (0: the default)
 * @param defaultTimeToLiveSecs the store-and-forward time to live of routes without their own
 * @param maxBytesPerEndpoint how many bytes each endpoint queue may hold
 * @param whenFull what happens to a message for a full endpoint
 */
record RouteTable(List<CompiledRoute> routes, Map<String, Integer> priorities, Map<String, Long> timeToLiveSecs,
        long defaultTimeToLiveSecs, long maxBytesPerEndpoint, WhenFull whenFull) {

    /** What an endpoint does with a new message when it holds {@code maxBytesPerEndpoint} already. */
    enum WhenFull {
        /** The sending module's send fails with a clear error; nothing queued is lost (the default). */
        REJECT("reject"),
        /** The new message is stored and the oldest messages of the lowest priority are dropped to make room. */
        DROP_OLDEST("drop-oldest");

        final String text;

        WhenFull(String text) {
            this.text = text;
        }

        static WhenFull of(String text) {
            for (WhenFull w : values()) {
                if (w.text.equalsIgnoreCase(text)) {
                    return w;
                }
            }
            return null;
        }
    }

    /** Configuration keys that hold routes start with this prefix: {@code route.<name> = FROM ... INTO ...}. */
    static final String KEY_PREFIX = "route.";
    /** {@code route.<name>.priority = 0..9}: 0 is the highest; a route without one ranks below all that have one. */
    static final String PRIORITY = ".priority";
    /** {@code route.<name>.timeToLiveSecs = N}: how long its messages may wait; 0 means the default. */
    static final String TTL = ".timeToLiveSecs";
    /** The default time to live of stored messages, as in IoT Edge's storeAndForwardConfiguration. */
    static final String DEFAULT_TTL = "storeAndForward.timeToLiveSecs";
    static final long DEFAULT_TTL_SECS = 7200;
    /** The most bytes one endpoint queue may hold (journal and pages). */
    static final String MAX_BYTES = "storeAndForward.maxBytesPerEndpoint";
    static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** {@code reject} (default) or {@code drop-oldest}. */
    static final String WHEN_FULL = "storeAndForward.whenFull";

    /**
     * How a message goes to one endpoint.
     *
     * @param route the route that sends it to {@code $upstream} (for the upstream's per-route bandwidth settings),
     *            or null
     */
    record Delivery(int jmsPriority, long timeToLiveMs, String route) {
        Delivery(int jmsPriority, long timeToLiveMs) {
            this(jmsPriority, timeToLiveMs, null);
        }
    }

    /** The endpoint queue of {@code $upstream}. */
    static final String UPSTREAM_QUEUE = "outpost.endpoint.upstream";

    RouteTable {
        routes = List.copyOf(routes);
        priorities = Map.copyOf(priorities);
        timeToLiveSecs = Map.copyOf(timeToLiveSecs);
    }

    /** An empty table. */
    RouteTable() {
        this(List.of(), Map.of(), Map.of(), DEFAULT_TTL_SECS, DEFAULT_MAX_BYTES, WhenFull.REJECT);
    }

    /**
     * @param properties configuration properties; every {@code route.<name>} key is a route
     * @return the routes, sorted by name
     * @throws IllegalArgumentException naming every bad route and what is wrong with it; nothing is applied then
     */
    static RouteTable fromProperties(Map<String, ?> properties) {
        Map<String, String> sorted = new TreeMap<>();
        Map<String, String> attributes = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(KEY_PREFIX) && v != null) {
                String rest = k.substring(KEY_PREFIX.length());
                (rest.contains(".") ? attributes : sorted).put(rest, v.toString().strip());
            }
        });
        List<CompiledRoute> routes = new ArrayList<>();
        Map<String, Integer> priorities = new HashMap<>();
        Map<String, Long> ttls = new HashMap<>();
        List<String> errors = new ArrayList<>();
        sorted.forEach((name, text) -> {
            try {
                routes.add(RouteLanguage.compileRoute(name, text));
            } catch (RouteCompileException e) {
                errors.add(e.getMessage());
            }
        });
        attributes.forEach((key, value) -> {
            String name = key.substring(0, key.indexOf('.'));
            String attribute = key.substring(name.length());
            if (!sorted.containsKey(name)) {
                errors.add("route." + key + ": there is no route '" + name + "'");
            } else if (attribute.equals(PRIORITY)) {
                Long p = number(value);
                if (p == null || p < 0 || p > 9) {
                    errors.add("route." + key + "=" + value + ": a priority is 0 (highest) to 9");
                } else {
                    priorities.put(name, p.intValue());
                }
            } else if (attribute.equals(TTL)) {
                Long t = number(value);
                if (t == null || t < 0) {
                    errors.add("route." + key + "=" + value + ": a time to live is seconds, 0 or more");
                } else {
                    ttls.put(name, t);
                }
            } else {
                errors.add("route." + key + ": unknown route setting (use " + PRIORITY.substring(1) + " or "
                        + TTL.substring(1) + ")");
            }
        });
        Object defaultTtl = properties.get(DEFAULT_TTL);
        Long ttl = defaultTtl == null ? Long.valueOf(DEFAULT_TTL_SECS) : number(defaultTtl.toString().strip());
        if (ttl == null || ttl <= 0) {
            errors.add(DEFAULT_TTL + "=" + defaultTtl + ": the default time to live is seconds, more than 0");
        }
        Object maxBytesValue = properties.get(MAX_BYTES);
        Long maxBytes = maxBytesValue == null ? Long.valueOf(DEFAULT_MAX_BYTES)
                : number(maxBytesValue.toString().strip());
        if (maxBytes == null || maxBytes < 1024) {
            errors.add(MAX_BYTES + "=" + maxBytesValue + ": the endpoint size bound is bytes, at least 1024");
        }
        Object whenFullValue = properties.get(WHEN_FULL);
        WhenFull whenFull = whenFullValue == null ? WhenFull.REJECT : WhenFull.of(whenFullValue.toString().strip());
        if (whenFull == null) {
            errors.add(WHEN_FULL + "=" + whenFullValue + ": use reject (the sender's send fails) or drop-oldest");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new RouteTable(routes, priorities, ttls, ttl, maxBytes, whenFull);
    }

    private static Long number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param message a message
     * @param taken told of every route that takes it
     * @return the endpoint queues the routes send it to, each once, in route order, with the best priority of the
     *         routes that take it there (and that route's time to live)
     */
    Map<String, Delivery> endpointsFor(RouteMessage message, java.util.function.Consumer<CompiledRoute> taken) {
        Map<String, Delivery> out = new LinkedHashMap<>();
        for (CompiledRoute r : routes) {
            if (r.decide(message).taken()) {
                taken.accept(r);
                Delivery d = new Delivery(jmsPriority(priorities.get(r.name())), timeToLiveMs(r.name()),
                        r.sink().isUpstream() ? r.name() : null);
                out.merge(queueOf(r.sink()), d, (a, b) -> b.jmsPriority() > a.jmsPriority() ? b : a);
            }
        }
        return out;
    }

    /**
     * IoT Edge priorities run from 0 (highest) to 9, and a route without one ranks below them all; the broker's run
     * from 9 (highest) to 0. So priority p becomes 9 - p, and no priority becomes 0, the level of priority 9.
     */
    static int jmsPriority(Integer priority) {
        return priority == null ? 0 : 9 - priority;
    }

    /** @return the time to live of a route's messages, in milliseconds */
    long timeToLiveMs(String route) {
        long secs = timeToLiveSecs.getOrDefault(route, 0L);
        return (secs == 0 ? defaultTimeToLiveSecs : secs) * 1000;
    }

    /** @return the broker queue of an endpoint */
    static String queueOf(Sink sink) {
        return sink.isUpstream() ? UPSTREAM_QUEUE : "outpost.modules." + sink.module() + ".inputs." + sink.input();
    }

    /** @return the endpoint a queue holds, as routes name it */
    static String endpointName(String queue) {
        if (queue.equals(UPSTREAM_QUEUE)) {
            return "$upstream";
        }
        String rest = queue.substring("outpost.modules.".length());
        int inputs = rest.indexOf(".inputs.");
        return "BrokeredEndpoint(\"/modules/" + rest.substring(0, inputs) + "/inputs/"
                + rest.substring(inputs + ".inputs.".length()) + "\")";
    }

    /**
     * @param module the module that sent it, or null for a device's message (a leaf device's telemetry through
     *            the gateway): its source is {@code /messages}, which {@code FROM /messages/*} takes and
     *            {@code FROM /messages/modules/*} does not, as in edgeHub
     * @param output the output, or null for a message sent without one (an IoT Hub module's telemetry without
     *            {@code $.on}): its source is {@code /messages/modules/<module>}, as in edgeHub
     * @return the source path of a module's output
     */
    static String sourceOf(String module, String output) {
        if (org.outpost.routing.api.Routing.TWIN_CHANGE_NOTIFICATIONS.equals(output)) {
            return "/twinChangeNotifications";
        }
        if (module == null) {
            return "/messages";
        }
        return "/messages/modules/" + module + (output == null ? "" : "/outputs/" + output);
    }

    /**
     * @return who sent a message, for metrics and logs: its module, or for a device's message (no module) its device
     *         ({@code connectionDeviceId}, or {@code unknown})
     */
    static String sender(org.outpost.api.message.Message message) {
        if (message.connectionModuleId() != null) {
            return message.connectionModuleId();
        }
        return message.connectionDeviceId() != null ? message.connectionDeviceId() : "unknown";
    }
}
