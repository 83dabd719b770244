/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.EndpointType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint types installed on this node and the sinks open for delivery: one per endpoint, opened again when its
 * type, settings or creation (deleted and created again) changed, closed when its endpoint or type is gone.
 */
final class OpenSinks {

    private record OpenSink(String type, String settings, long createdMs, EndpointSink sink) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpenSinks.class);

    private final String node;
    final Map<String, EndpointType> types = new ConcurrentHashMap<>();
    private final Map<String, OpenSink> sinks = new ConcurrentHashMap<>();

    OpenSinks(String node) {
        this.node = node;
    }

    static void closeQuietly(EndpointSink sink) {
        try {
            sink.close();
        } catch (Exception e) {
            LOG.debug("Closing an endpoint sink: {}", e.toString());
        }
    }

    /** Forgets a type that went away, closing its endpoints' sinks. @return whether it was the one registered */
    boolean removeType(String name, EndpointType type) {
        if (!types.remove(name, type)) {
            return false;
        }
        sinks.entrySet().removeIf(e -> {
            if (e.getValue().type().equals(name)) {
                closeQuietly(e.getValue().sink());
                return true;
            }
            return false;
        });
        return true;
    }

    /** Closes the sinks of endpoints not in {@code live} (name to creation time) or created again since. */
    void retain(Map<String, Long> live) {
        sinks.entrySet().removeIf(e -> {
            Long created = live.get(e.getKey());
            if (created == null || created != e.getValue().createdMs()) {
                closeQuietly(e.getValue().sink());
                return true;
            }
            return false;
        });
    }

    void close(String endpoint) {
        OpenSink open = sinks.remove(endpoint);
        if (open != null) {
            closeQuietly(open.sink());
        }
    }

    void closeAll() {
        sinks.values().forEach(s -> closeQuietly(s.sink()));
        sinks.clear();
    }

    /** @return the endpoint's sink, opened if needed */
    EndpointSink sink(String endpoint, String type, String settings, long createdMs) throws Exception {
        OpenSink open = sinks.get(endpoint);
        if (open != null && open.type().equals(type) && open.settings().equals(settings)
                && open.createdMs() == createdMs) {
            return open.sink();
        }
        EndpointType t = types.get(type);
        if (t == null) {
            throw new IllegalStateException("endpoint type '" + type + "' is not installed on hub node " + node
                    + " (install its feature, e.g. outpost-hub-kafka)");
        }
        EndpointSink sink = t.open(endpoint, Endpoints.settings(settings));
        OpenSink previous = sinks.put(endpoint, new OpenSink(type, settings, createdMs, sink));
        if (previous != null) {
            closeQuietly(previous.sink());
        }
        return sink;
    }
}
