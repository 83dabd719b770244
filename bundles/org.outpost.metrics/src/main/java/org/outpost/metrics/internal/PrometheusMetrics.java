/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.Upstream;
import org.outpost.metrics.api.Exposition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The metrics of this Karaf instance (gateway or hub): the {@link Metrics} service every bundle registers through,
 * kept on a Prometheus registry with the JVM's and the process's metrics, and served over HTTP for Prometheus
 * ({@code /metrics} on 127.0.0.1:9600 by default, edgeHub's port; the hub's distribution sets 9601).
 * <p>
 * A changed configuration restarts only the endpoint: the Metrics service, and so every bundle holding it, stays.
 */
@Component(service = {Metrics.class, Exposition.class}, immediate = true, configurationPid = "org.outpost.metrics")
@Designate(ocd = PrometheusMetrics.Config.class)
public final class PrometheusMetrics implements Metrics, Exposition {

    @ObjectClassDefinition(name = "Outpost metrics", description = "The Prometheus endpoint of the gateway or hub.")
    public @interface Config {
        @AttributeDefinition(description = "Serve the metrics over HTTP. The Metrics service (edge:metrics, uploads"
                + " to the hub) runs either way.")
        boolean enabled() default true;

        @AttributeDefinition(description = "Address to listen on: 127.0.0.1 (this machine only) or 0.0.0.0.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "TCP port (edgeHub's is 9600; the hub's distribution uses 9601).")
        int port() default 9600;

        @AttributeDefinition(description = "Path of the metrics.")
        String path() default "/metrics";

        @AttributeDefinition(description = "Expose the JVM's and the process's metrics (jvm_*, process_*).")
        boolean jvm() default true;

        @AttributeDefinition(description = "How far back the quantiles of durations look, in seconds (edgeHub: 600)."
                + " Applies to durations first measured after a change.")
        long quantile_window_s() default 600;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);

    private final Registry registry;
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusRegistry jvmRegistry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final String instance = UUID.randomUUID().toString();
    private volatile MetricsConfig config;
    private volatile Endpoint endpoint;
    private volatile EdgeRuntime runtime;
    private volatile Upstream upstream;

    @Activate
    public PrometheusMetrics(Config config) {
        this(MetricsConfig.of(config));
    }

    PrometheusMetrics(MetricsConfig config) {
        this.config = config;
        this.registry = new Registry(TimeUnit.SECONDS.toNanos(config.quantileWindowSeconds()), System::nanoTime);
        prometheus.register(new OutpostCollector(registry, Catalogue.load(), this::constantLabels));
        JvmMetrics.builder().register(jvmRegistry);
        prometheus.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                return collect(n -> true);
            }

            @Override
            public MetricSnapshots collect(Predicate<String> names) {
                return PrometheusMetrics.this.config.jvm() ? jvmRegistry.scrape(names) : MetricSnapshots.builder()
                        .build();
            }
        });
        startEndpoint(config);
    }

    @Modified
    void modified(Config c) {
        MetricsConfig next;
        try {
            next = MetricsConfig.of(c);
        } catch (IllegalArgumentException e) {
            LOG.error("Metrics: {}; the previous settings stay", e.getMessage());
            return;
        }
        MetricsConfig before = config;
        if (next.equals(before)) {
            return;
        }
        config = next;
        registry.windowNanos(TimeUnit.SECONDS.toNanos(next.quantileWindowSeconds()));
        if (before.endpointDiffers(next)) {
            stopEndpoint();
            startEndpoint(next);
        }
    }

    @Deactivate
    void deactivate() {
        stopEndpoint();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRuntime(EdgeRuntime r) {
        runtime = r;
    }

    void unbindRuntime(EdgeRuntime r) {
        if (runtime == r) {
            runtime = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindUpstream(Upstream u) {
        upstream = u;
    }

    void unbindUpstream(Upstream u) {
        if (upstream == u) {
            upstream = null;
        }
    }

    private synchronized void startEndpoint(MetricsConfig c) {
        if (!c.enabled()) {
            LOG.info("Metrics: the HTTP endpoint is off (enabled=false in etc/org.outpost.metrics.cfg)");
            return;
        }
        try {
            endpoint = new Endpoint(c, prometheus);
            LOG.info("Metrics: Prometheus endpoint on {}", endpoint.uri());
        } catch (IOException | RuntimeException e) {
            LOG.error("Metrics: cannot serve the Prometheus endpoint on {}:{} ({}): another process may hold the"
                    + " port; set host/port in etc/org.outpost.metrics.cfg. edge:metrics still works", c.host(),
                    c.port(), e.toString());
        }
    }

    private synchronized void stopEndpoint() {
        Endpoint e = endpoint;
        endpoint = null;
        if (e != null) {
            e.close();
        }
    }

    /** The labels every edgeHub metric carries: the cloud's host, this device and this start of the runtime. */
    private Map<String, String> constantLabels() {
        Map<String, String> m = new LinkedHashMap<>();
        Upstream u = upstream;
        if (u != null) {
            try {
                String host = URI.create(u.status().url()).getHost();
                if (host != null) {
                    m.put("iothub", host);
                }
            } catch (RuntimeException e) {
                LOG.debug("Metrics: no iothub label: {}", e.toString());
            }
        }
        EdgeRuntime r = runtime;
        if (r != null && r.deviceId() != null) {
            m.put("edge_device", r.deviceId());
        }
        m.put("instance_number", instance);
        return m;
    }

    @Override
    public Counter counter(String name, String... labels) {
        return registry.counter(name, labels);
    }

    @Override
    public Timer timer(String name, String... labels) {
        return registry.timer(name, labels);
    }

    @Override
    public AutoCloseable measured(String name, String type, Supplier<Map<Map<String, String>, Double>> values) {
        return registry.measured(name, type, values);
    }

    @Override
    public List<MetricSample> samples() {
        return registry.samples();
    }

    @Override
    public String write(OutputStream out, String accept, Predicate<String> names) throws IOException {
        ExpositionFormatWriter writer = accept != null && accept.contains("application/openmetrics-text")
                ? formats.getOpenMetricsTextFormatWriter() : formats.getPrometheusTextFormatWriter();
        writer.write(out, prometheus.scrape(names == null ? n -> true : names));
        return writer.getContentType();
    }

    @Override
    public String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<URI> endpoint() {
        Endpoint e = endpoint;
        return e == null ? Optional.empty() : Optional.of(e.uri());
    }
}
