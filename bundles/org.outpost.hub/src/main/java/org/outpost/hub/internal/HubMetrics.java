/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.metrics.Metrics;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own metrics on its Prometheus endpoint ({@code outpost_hub_*}): devices registered and connected, the
 * telemetry it ingests, the devices of each deployment by state, and its database pool. Values are read when the
 * metrics are read; what needs a pass over the fleet is kept {@value #CACHE_SECONDS} s, so frequent scrapes cost the
 * database little. The twin operations are counted where they happen ({@link TwinStore}).
 */
@Component(immediate = true)
public final class HubMetrics {

    static final long CACHE_SECONDS = 10;
    /** The pool's JMX name: HikariCP registers it (etc/org.outpost.hub.storage.cfg's pool, named outpost-hub-db). */
    static final String POOL_MBEAN = "com.zaxxer.hikari:type=Pool (outpost-hub-db)";
    static final String POOL_CONFIG_MBEAN = "com.zaxxer.hikari:type=PoolConfig (outpost-hub-db)";

    private static final Logger LOG = LoggerFactory.getLogger(HubMetrics.class);

    private final List<AutoCloseable> registrations = new ArrayList<>();

    @Activate
    public HubMetrics(@Reference Metrics metrics, @Reference Fleet fleet, @Reference Deployments deployments,
            @Reference Telemetry telemetry) {
        this(metrics, fleet, deployments, telemetry, System::nanoTime);
    }

    HubMetrics(Metrics metrics, Fleet fleet, Deployments deployments, Telemetry telemetry, LongSupplier clock) {
        Supplier<Fleet.Health> health = cached(fleet::health, clock);
        Supplier<List<DeploymentStatus>> statuses = cached(deployments::deployments, clock);
        registrations.add(metrics.measured("outpost_hub_devices", "gauge", () -> {
            Fleet.Health h = health.get();
            return Map.of(Map.of("status", "enabled"), (double) (h.devices() - h.disabled()),
                    Map.of("status", "disabled"), (double) h.disabled());
        }));
        registrations.add(metrics.measured("outpost_hub_devices_connected", "gauge",
                () -> Map.of(Map.of(), (double) health.get().connected())));
        registrations.add(metrics.measured("outpost_hub_telemetry_messages_total", "counter",
                () -> Map.of(Map.of(), (double) telemetry.received())));
        registrations.add(metrics.measured("outpost_hub_deployment_devices", "gauge", () -> {
            Map<Map<String, String>, Double> out = new LinkedHashMap<>();
            for (DeploymentStatus s : statuses.get()) {
                String id = s.deployment().id();
                out.put(Map.of("deployment", id, "status", "targeted"), (double) s.targeted().size());
                out.put(Map.of("deployment", id, "status", "applied"), (double) s.applied().size());
                out.put(Map.of("deployment", id, "status", "succeeded"), (double) s.succeeded().size());
                out.put(Map.of("deployment", id, "status", "failed"), (double) s.failed().size());
                out.put(Map.of("deployment", id, "status", "pending"), (double) s.pending().size());
            }
            return out;
        }));
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        registrations.add(metrics.measured("outpost_hub_db_connections", "gauge", () -> pool(jmx)));
        registrations.add(metrics.measured("outpost_hub_db_connections_max", "gauge", () -> {
            Object max = attribute(jmx, POOL_CONFIG_MBEAN, "MaximumPoolSize");
            return max == null ? Map.of() : Map.of(Map.of(), ((Number) max).doubleValue());
        }));
    }

    @Deactivate
    void deactivate() {
        for (AutoCloseable r : registrations) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("Removing a hub metric: {}", e.toString());
            }
        }
    }

    private static Map<Map<String, String>, Double> pool(MBeanServer jmx) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        String[][] states = {{"active", "ActiveConnections"}, {"idle", "IdleConnections"},
            {"total", "TotalConnections"}, {"pending", "ThreadsAwaitingConnection"}};
        for (String[] s : states) {
            Object v = attribute(jmx, POOL_MBEAN, s[1]);
            if (v instanceof Number n) {
                out.put(Map.of("state", s[0]), n.doubleValue());
            }
        }
        return out;
    }

    private static Object attribute(MBeanServer jmx, String name, String attribute) {
        try {
            ObjectName n = new ObjectName(name);
            return jmx.isRegistered(n) ? jmx.getAttribute(n, attribute) : null;
        } catch (Exception e) {
            LOG.debug("Hub database pool: cannot read {} of {}: {}", attribute, name, e.toString());
            return null;
        }
    }

    /** @return the value, read again when it is older than {@link #CACHE_SECONDS} */
    static <T> Supplier<T> cached(Supplier<T> read, LongSupplier clock) {
        return new Supplier<>() {
            private T value;
            private long readAt;

            @Override
            public synchronized T get() {
                long now = clock.getAsLong();
                if (value == null || now - readAt >= TimeUnit.SECONDS.toNanos(CACHE_SECONDS)) {
                    value = read.get();
                    readAt = now;
                }
                return value;
            }
        };
    }
}
