/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.metrics.Metrics;
import org.outpost.hub.routing.HubRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message routing on the hub's Prometheus endpoint, per endpoint: {@code outpost_hub_routing_queued},
 * {@code outpost_hub_routing_delivered_total}, {@code outpost_hub_routing_failed_total},
 * {@code outpost_hub_routing_dead_letters} and {@code outpost_hub_routing_lag_seconds}. Read from the database at
 * most every {@value #CACHE_MS} ms, whatever the scrape rate.
 */
@Component(immediate = true)
public final class RoutingMetrics {

    static final long CACHE_MS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(RoutingMetrics.class);

    private final HubRouting routing;
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private List<HubRouting.Endpoint> cached = List.of();
    private long readAt;

    @Activate
    public RoutingMetrics(@Reference Metrics metrics, @Reference HubRouting routing) {
        this.routing = routing;
        registrations.add(metrics.measured("outpost_hub_routing_queued", "gauge", per(e -> (double) e.queued())));
        registrations.add(metrics.measured("outpost_hub_routing_delivered_total", "counter", per(e -> (double) e
                .delivered())));
        registrations.add(metrics.measured("outpost_hub_routing_failed_total", "counter", per(e -> (double) e
                .failed())));
        registrations.add(metrics.measured("outpost_hub_routing_dead_letters", "gauge", per(e -> (double) e.dead())));
        registrations.add(metrics.measured("outpost_hub_routing_lag_seconds", "gauge", per(e -> e.lagMs() / 1000.0)));
    }

    private java.util.function.Supplier<Map<Map<String, String>, Double>> per(
            Function<HubRouting.Endpoint, Double> value) {
        return () -> {
            Map<Map<String, String>, Double> out = new LinkedHashMap<>();
            for (HubRouting.Endpoint e : endpoints()) {
                out.put(Map.of("endpoint", e.name(), "type", e.type()), value.apply(e));
            }
            return out;
        };
    }

    private synchronized List<HubRouting.Endpoint> endpoints() {
        long now = System.currentTimeMillis();
        if (now - readAt >= CACHE_MS) {
            try {
                cached = routing.endpoints();
            } catch (RuntimeException e) {
                LOG.debug("Routing metrics: {}", e.toString());
            }
            readAt = now;
        }
        return cached;
    }

    @Deactivate
    void deactivate() {
        for (AutoCloseable r : registrations) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("Removing a routing metric: {}", e.toString());
            }
        }
    }
}
