/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The HTTP endpoint Prometheus scrapes: the Prometheus client's exporter on the JDK's HttpServer (no Jetty), which
 * answers in the format the {@code Accept} header asks for (Prometheus text 0.0.4 by default, OpenMetrics), gzipped
 * when asked, and only the names given by {@code name[]} parameters when there are any.
 */
final class Endpoint implements AutoCloseable {

    private final HTTPServer server;
    private final ExecutorService executor;
    private final URI uri;

    /**
     * @throws IOException if the address cannot be bound (the port is in use, the host is not this machine's)
     */
    Endpoint(MetricsConfig config, PrometheusRegistry registry) throws IOException {
        AtomicInteger n = new AtomicInteger();
        // Scrapes are rare and short: two threads and a short queue (beyond it the server thread answers itself),
        // daemon threads named for thread dumps.
        executor = new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "outpost-metrics-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        try {
            server = HTTPServer.builder().hostname(config.host()).port(config.port()).registry(registry)
                    .metricsHandlerPath(config.path()).executorService(executor).buildAndStart();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        uri = URI.create("http://" + host + ":" + server.getPort() + config.path());
    }

    /** @return the URL scrapes go to (the port actually bound when the configuration said 0) */
    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        server.close();
        executor.shutdownNow();
    }
}
