/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Both Prometheus endpoints, gateway and hub, scraped over HTTP as Prometheus does, and what they serve read by real
 * Prometheus parsers: the Prometheus client's own (python3-prometheus-client; text 0.0.4 and OpenMetrics) and
 * Prometheus's {@code promtool check metrics}. One hub and gateway pair for every case.
 */
public class MetricsEndpointIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CloudPair pair;

    @BeforeClass
    public static void start() throws Exception {
        pair = CloudPair.start(Map.of());
    }

    @AfterClass
    public static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void theGatewayServesEdgeHubsMetricsInTheTextFormat() throws Exception {
        // The sample sensor's messages go to the filter and to the hub: wait for them to be counted.
        HttpResponse<String> scrape = await("edgeHub's counters on the gateway's endpoint")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get(pair.gateway.metricsPort(), null), r -> r.body().contains(
                        "edgehub_messages_sent_total{") && r.body().contains("to=\"$upstream\""));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        promtool(scrape.body());

        JsonNode families = parse(scrape.body(), "prometheus");
        JsonNode received = family(families, "edgehub_messages_received");
        assertThat(received.path("type").asText()).isEqualTo("counter");
        assertThat(received.path("help").asText()).startsWith("Messages received from modules and devices");
        JsonNode fromSensor = sample(received, "id", "simulated-temperature-sensor", "route_output",
                "temperatureOutput");
        assertThat(fromSensor.path("labels").path("edge_device").asText()).isEqualTo(CloudPair.DEVICE);
        assertThat(fromSensor.path("labels").path("iothub").asText()).isEqualTo("127.0.0.1");
        assertThat(fromSensor.path("labels").path("instance_number").asText()).hasSize(36);
        assertThat(fromSensor.path("value").asDouble()).isPositive();

        JsonNode sent = family(families, "edgehub_messages_sent");
        assertThat(sample(sent, "to", "$upstream").path("labels").path("priority").asText()).isNotEmpty();
        JsonNode duration = family(families, "edgehub_message_send_duration_seconds");
        assertThat(duration.path("type").asText()).isEqualTo("summary");
        assertThat(duration.path("samples").findValuesAsText("quantile")).contains("0.5", "0.99", "0.9999");
        assertThat(family(families, "edgehub_queue_length").path("type").asText()).isEqualTo("gauge");
        assertThat(family(families, "jvm_memory_used_bytes").path("type").asText()).isEqualTo("gauge");
        assertThat(family(families, "process_cpu_seconds").path("type").asText()).isEqualTo("counter");
    }

    @Test
    public void bothEndpointsServeOpenMetricsWhenAskedFor() throws Exception {
        String accept = "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5";
        for (GatewayProcess p : List.of(pair.gateway, pair.hub)) {
            HttpResponse<String> scrape = await("the endpoint").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(p.metricsPort(), accept), r -> r.statusCode() == 200);
            assertThat(scrape.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/openmetrics-text");
            assertThat(scrape.body()).endsWith("# EOF\n");
            assertThat(parse(scrape.body(), "openmetrics").size()).isGreaterThan(10);
        }
    }

    @Test
    public void theHubServesItsOwnMetrics() throws Exception {
        HttpResponse<String> scrape = await("the hub's metrics").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get(pair.hub.metricsPort(), null), r -> r.body().matches("(?s).*"
                        + "outpost_hub_devices_connected\\{[^}]*} 1\\.0.*outpost_hub_telemetry_messages_total\\{[^}]*}"
                        + " [1-9].*"));
        promtool(scrape.body());
        JsonNode families = parse(scrape.body(), "prometheus");
        assertThat(family(families, "outpost_hub_devices_connected").path("samples").get(0).path("value")
                .asDouble()).isEqualTo(1.0);
        assertThat(sample(family(families, "outpost_hub_devices"), "status", "enabled").path("value").asDouble())
                .isEqualTo(1.0);
        assertThat(family(families, "outpost_hub_telemetry_messages").path("samples").get(0).path("value")
                .asDouble()).isPositive();
        assertThat(sample(family(families, "outpost_hub_db_connections"), "state", "total").path("value").asDouble())
                .isPositive();
        assertThat(family(families, "jvm_threads_current").path("type").asText()).isEqualTo("gauge");
    }

    @Test
    public void edgeMetricsPrometheusPrintsTheEndpointsText() throws Exception {
        String out = pair.gateway.shell("edge:metrics --prometheus edgehub_messages_");
        assertThat(out).contains("# TYPE edgehub_messages_received_total counter",
                "# HELP edgehub_messages_sent_total ").doesNotContain("jvm_");
        assertThat(pair.gateway.shell("edge:metrics edgehub_messages_received_total"))
                .containsPattern("edgehub_messages_received_total\\s*\\|\\s*id=simulated-temperature-sensor");
    }

    private static HttpResponse<String> get(int port, String accept) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            r.header("Accept", accept);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode family(JsonNode families, String name) {
        for (JsonNode f : families) {
            if (f.path("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no metric family " + name + " in " + names(families));
    }

    /** @return the family's first sample with these labels (names and values, alternating) */
    private static JsonNode sample(JsonNode family, String... labels) {
        for (JsonNode s : family.path("samples")) {
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.path("labels").path(labels[i]).asText(null));
            }
            if (all) {
                return s;
            }
        }
        throw new AssertionError("no sample with " + String.join(" ", labels) + " in " + family);
    }

    private static List<String> names(JsonNode families) {
        List<String> out = new ArrayList<>();
        families.forEach(f -> out.add(f.path("name").asText()));
        return out;
    }

    /** @return the families the Prometheus client's parser read, as JSON (src/test/resources/metrics) */
    private static JsonNode parse(String text, String format) throws Exception {
        Path script = Files.createTempFile(Path.of(System.getProperty("outpost.exam.dir", "target"))
                .toAbsolutePath().getParent(), "parse_metrics", ".py");
        try (InputStream in = MetricsEndpointIT.class.getResourceAsStream("/metrics/parse_metrics.py")) {
            Files.write(script, in.readAllBytes());
        }
        // The apt package python3-prometheus-client installs for the system's python3.
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Run r = run(text, python, script.toString(), format);
        assertThat(r.exit()).as("python3 prometheus_client parser (apt: python3-prometheus-client): %s", r.err())
                .isZero();
        return JSON.readTree(r.out());
    }

    /** Checks the text with Prometheus's own parser and linter, {@code promtool check metrics} (apt: prometheus). */
    private static void promtool(String text) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(promtool).as("Prometheus's promtool (apt: prometheus; .ci/run installs it)").isExecutable();
        Run r = run(text, promtool.toString(), "check", "metrics");
        // promtool exits 1 for lint advice (e.g. a counter's unit) too; a text it cannot parse says "error while".
        assertThat(r.out() + r.err()).as("promtool check metrics").doesNotContain("error while linting",
                "text format parsing error");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = new Thread(() -> copy(p.getInputStream(), out));
        Thread e = new Thread(() -> copy(p.getErrorStream(), err));
        o.start();
        e.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        o.join();
        e.join();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // The process ended: what it wrote so far is what there is.
        }
    }
}
