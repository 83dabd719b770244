/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

/**
 * The metrics' settings (PID {@code org.outpost.metrics}), checked.
 *
 * @param enabled whether the HTTP endpoint runs (the Metrics service runs either way)
 * @param host the address the endpoint binds to
 * @param port its port (0: any free port)
 * @param path the path of the metrics, starting with {@code /}
 * @param jvm whether the JVM's and the process's metrics are exposed
 * @param quantileWindowSeconds how far back the timers' quantiles look
 */
record MetricsConfig(boolean enabled, String host, int port, String path, boolean jvm, long quantileWindowSeconds) {

    MetricsConfig {
        String where = " in etc/org.outpost.metrics.cfg";
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty" + where + ": give the address to listen on, e.g."
                    + " 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + where + " is not a TCP port (0-65535)");
        }
        if (path == null || !path.startsWith("/") || path.length() < 2) {
            throw new IllegalArgumentException("path '" + path + "'" + where + " must start with / and name a path,"
                    + " e.g. /metrics");
        }
        if (quantileWindowSeconds < 5) {
            throw new IllegalArgumentException("quantile.window.s " + quantileWindowSeconds + where
                    + " is too short: at least 5 seconds (edgeHub's is 600)");
        }
        host = host.trim();
    }

    static MetricsConfig of(PrometheusMetrics.Config c) {
        return new MetricsConfig(c.enabled(), c.host(), c.port(), c.path(), c.jvm(), c.quantile_window_s());
    }

    /** @return whether the endpoint must be restarted to go from this to {@code next} */
    boolean endpointDiffers(MetricsConfig next) {
        return enabled != next.enabled || !host.equals(next.host) || port != next.port || !path.equals(next.path);
    }
}
