/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP, as Prometheus scrapes it. */
class PrometheusMetricsTest {

    private PrometheusMetrics metrics;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (metrics != null) {
            metrics.deactivate();
        }
    }

    private PrometheusMetrics start(boolean jvm) {
        metrics = new PrometheusMetrics(new MetricsConfig(true, "127.0.0.1", 0, "/metrics", jvm, 600));
        return metrics;
    }

    private HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(metrics.endpoint().orElseThrow());
        if (accept != null) {
            r.header("Accept", accept);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePrometheusTextFormatWithHelpTypeAndEscapedLabels() throws Exception {
        start(true);
        metrics.counter("edgehub_messages_received_total", "id", "sen\"sor\\1", "route_output", "out").add(3);
        metrics.timer("edgehub_message_send_duration_seconds", "from", "sensor", "to", "$upstream")
                .record(2_000_000);
        metrics.measured("edgehub_queue_length", "gauge", () -> Map.of(Map.of("endpoint", "$upstream", "priority",
                "0"), 4.0));

        HttpResponse<String> r = get(null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = r.body();
        assertThat(body).contains("# HELP edgehub_messages_received_total Messages received from modules and devices",
                "# TYPE edgehub_messages_received_total counter",
                "# TYPE edgehub_message_send_duration_seconds summary",
                "# TYPE edgehub_queue_length gauge", "# TYPE jvm_memory_used_bytes gauge",
                "process_cpu_seconds_total");
        assertThat(body).containsPattern("edgehub_messages_received_total\\{id=\"sen\\\\\"sor\\\\\\\\1\","
                + "instance_number=\"[0-9a-f-]{36}\",route_output=\"out\"} 3.0");
        assertThat(body).containsPattern("edgehub_message_send_duration_seconds\\{from=\"sensor\",instance_number="
                + "\"[^\"]+\",to=\"\\$upstream\",quantile=\"0.99\"} 0.002");
        assertThat(body).containsPattern("edgehub_message_send_duration_seconds_count\\{[^}]+} 1");
    }

    @Test
    void servesOpenMetricsWhenAskedFor() throws Exception {
        start(false);
        metrics.counter("edgehub_gettwin_total", "source", "module", "id", "gw/m").increment();

        HttpResponse<String> r = get("application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5");

        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(r.body()).contains("# TYPE edgehub_gettwin counter").endsWith("# EOF\n");
        assertThat(r.body()).doesNotContain("jvm_");
    }

    @Test
    void theShellsTextIsTheEndpointsAndCanBeFiltered() throws Exception {
        start(false);
        metrics.counter("edgehub_gettwin_total").increment();
        metrics.counter("edgehub_direct_methods_total", "from", "cloud", "to", "m").increment();
        assertThat(metrics.text()).contains("edgehub_gettwin_total{", "edgehub_direct_methods_total{");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        metrics.write(out, null, n -> n.startsWith("edgehub_direct"));
        assertThat(out.toString()).contains("edgehub_direct_methods_total").doesNotContain("gettwin");
    }

    @Test
    void aPortInUseLeavesTheMetricsServiceWorkingWithoutEndpoint() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            metrics = new PrometheusMetrics(new MetricsConfig(true, "127.0.0.1", taken.getLocalPort(), "/metrics",
                    false, 600));
            assertThat(metrics.endpoint()).isEmpty();
            metrics.counter("edgehub_gettwin_total").increment();
            assertThat(metrics.samples()).hasSize(1);
        }
    }

    @Test
    void aChangedPortMovesTheEndpoint() throws Exception {
        start(false);
        URI before = metrics.endpoint().orElseThrow();
        metrics.modified(config(0, "/prom"));
        URI after = metrics.endpoint().orElseThrow();
        assertThat(after.getPath()).isEqualTo("/prom");
        assertThat(get(null).statusCode()).isEqualTo(200);
        assertThat(after).isNotEqualTo(before);
    }

    private static PrometheusMetrics.Config config(int port, String path) {
        return new PrometheusMetrics.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return PrometheusMetrics.Config.class;
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public boolean jvm() {
                return false;
            }

            @Override
            public long quantile_window_s() {
                return 600;
            }
        };
    }
}
