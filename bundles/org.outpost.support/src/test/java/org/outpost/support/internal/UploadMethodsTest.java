/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.support.api.SupportBundles;

/** The upload methods against a real HTTP server that answers as Azure Blob storage's Put Blob does. */
class UploadMethodsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A blob PUT as the server saw it. */
    record Put(String path, String query, Map<String, String> headers, byte[] body) {
    }

    private final Map<String, Put> puts = new ConcurrentHashMap<>();
    private volatile int answer = 201;
    private HttpServer server;
    private String sasUrl;
    private Tasks tasks;
    private final Fakes.FakeDeployer deployer = new Fakes.FakeDeployer();

    @BeforeEach
    void storage() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            if (x.getRequestMethod().equals("PUT")) {
                puts.put(x.getRequestURI().getRawPath(), new Put(x.getRequestURI().getRawPath(),
                        x.getRequestURI().getRawQuery(), Map.of("x-ms-blob-type",
                                String.valueOf(x.getRequestHeaders().getFirst("x-ms-blob-type")), "content-type",
                                String.valueOf(x.getRequestHeaders().getFirst("Content-Type")), "encoding",
                                String.valueOf(x.getRequestHeaders().getFirst("x-ms-blob-content-encoding"))),
                        body));
            }
            byte[] reply = answer == 201 ? new byte[0] : "<Error><Code>AuthenticationFailed</Code></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(answer, reply.length == 0 ? -1 : reply.length);
            x.getResponseBody().write(reply);
            x.close();
        });
        server.start();
        sasUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/logs?sv=2020-04-08&sr=c&sp=cw&sig=TOPSECRETSIG";
        tasks = new Tasks(Fakes.settings(), Clock.systemUTC());
        deployer.logs.put("filter", List.of("2026-12-05T10:00:00,000 | INFO  | filter started",
                "2026-12-05T10:00:01,000 | ERROR | filter failed token=MODTOKEN"));
        deployer.logs.put("sensor", List.of("<4> 2026-12-05 10:00:02 sensor warm"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        tasks.close();
    }

    private UploadModuleLogs logs() {
        return new UploadModuleLogs(deployer, Fakes.runtime("gw-1"), tasks, new HubName(() -> "hub.example"),
                Fakes.settings());
    }

    private JsonNode status(String correlationId) throws Exception {
        return JSON.readTree(new GetTaskStatus(tasks).invoke("{\"schemaVersion\": \"1.0\", \"correlationId\": \""
                + correlationId + "\"}").json());
    }

    private JsonNode completed(JsonNode started) throws Exception {
        assertThat(started.path("status").asText()).isIn("NotStarted", "Running", "Completed");
        assertThat(started.path("message").asText()).isEmpty();
        String id = started.path("correlationId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> !List.of("NotStarted", "Running")
                .contains(status(id).path("status").asText()));
        return status(id);
    }

    @Test
    void uploadModuleLogsPutsOneBlobPerModuleAsIotEdgeNamesThem() throws Exception {
        JsonNode started = JSON.readTree(logs().invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"" + sasUrl
                + "\", \"items\": [{\"id\": \"filter|sensor\", \"filter\": {\"tail\": 10}}], \"encoding\": \"none\","
                + " \"contentType\": \"text\"}").json());
        assertThat(completed(started).path("status").asText()).isEqualTo("Completed");
        assertThat(puts).hasSize(2);
        Put filter = puts.values().stream().filter(p -> p.path().contains("/filter-")).findFirst().orElseThrow();
        assertThat(filter.path()).matches("/logs/hub\\.example/gw-1/filter-\\d{4}-\\d{2}-\\d{2}--\\d{2}-\\d{2}-\\d{2}"
                + "\\.log");
        assertThat(filter.query()).isEqualTo("sv=2020-04-08&sr=c&sp=cw&sig=TOPSECRETSIG");
        assertThat(filter.headers()).containsEntry("x-ms-blob-type", "BlockBlob").containsEntry("content-type",
                "text/plain");
        assertThat(new String(filter.body(), StandardCharsets.UTF_8)).contains("filter started", "token=<redacted>")
                .doesNotContain("MODTOKEN");
    }

    @Test
    void jsonAndGzipAreIotEdgesLogMessages() throws Exception {
        JsonNode started = JSON.readTree(logs().invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"" + sasUrl
                + "\", \"items\": {\"id\": \"sensor\"}, \"encoding\": \"gzip\", \"contentType\": \"json\"}").json());
        assertThat(completed(started).path("status").asText()).isEqualTo("Completed");
        Put p = puts.values().iterator().next();
        assertThat(p.path()).endsWith(".json.gz");
        assertThat(p.headers()).containsEntry("encoding", "gzip").containsEntry("content-type", "application/json");
        JsonNode messages = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(p.body())));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("moduleId").asText()).isEqualTo("sensor");
        assertThat(messages.get(0).path("deviceId").asText()).isEqualTo("gw-1");
        assertThat(messages.get(0).path("iotHub").asText()).isEqualTo("hub.example");
        assertThat(messages.get(0).path("logLevel").asInt()).isEqualTo(4);
        assertThat(messages.get(0).path("text").asText()).contains("sensor warm");
    }

    @Test
    void aRefusedUploadFailsTheTaskSayingWhyWithoutTheSignature() throws Exception {
        answer = 403;
        JsonNode started = JSON.readTree(logs().invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"" + sasUrl
                + "\", \"items\": [{\"id\": \".*\"}]}").json());
        JsonNode done = completed(started);
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("message").asText()).startsWith("Task upload logs failed because of error PUT http://")
                .contains("answered 403", "AuthenticationFailed", "does not allow writing")
                .doesNotContain("TOPSECRETSIG");
    }

    @Test
    void uploadSupportBundlePutsTheZip() throws Exception {
        SupportBundles bundles = (request, out) -> {
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
                z.putNextEntry(new java.util.zip.ZipEntry("README.txt"));
                z.write(("since " + request.since() + " runtime only " + request.edgeRuntimeOnly())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return List.of("README.txt");
        };
        UploadSupportBundle method = new UploadSupportBundle(bundles, Fakes.runtime("gw-1"), tasks,
                new HubName(() -> "hub.example"), Fakes.settings());
        JsonNode started = JSON.readTree(method.invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"" + sasUrl
                + "\", \"since\": \"2d\", \"edgeRuntimeOnly\": true}").json());
        assertThat(completed(started).path("status").asText()).isEqualTo("Completed");
        Put p = puts.values().iterator().next();
        assertThat(p.path()).matches("/logs/hub\\.example/gw-1/support-bundle-[0-9-]+\\.zip");
        assertThat(p.headers()).containsEntry("content-type", "application/zip");
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(p.body()))) {
            assertThat(z.getNextEntry().getName()).isEqualTo("README.txt");
            assertThat(new String(z.readAllBytes(), StandardCharsets.UTF_8)).contains("runtime only true")
                    .doesNotContain("since null");
        }
    }

    @Test
    void getTaskStatusOfAnUnknownTaskIsUnknown() throws Exception {
        assertThat(status("nope").toString()).isEqualTo(
                "{\"status\":\"Unknown\",\"message\":\"\",\"correlationId\":\"nope\"}");
    }

    @Test
    void wrongPayloadsAreRefusedSayingWhatToSend() {
        assertThatThrownBy(() -> logs().invoke(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UploadModuleLogs needs a payload").hasMessageContaining("\"sasUrl\"");
        assertThatThrownBy(() -> logs().invoke("{\"schemaVersion\": \"1.0\", \"items\": [{\"id\": \".*\"}]}"))
                .hasMessageContaining("sasUrl is missing");
        assertThatThrownBy(() -> logs().invoke("{\"schemaVersion\": \"2.0\", \"sasUrl\": \"" + sasUrl + "\"}"))
                .hasMessageContaining("schemaVersion 2.0 is not supported");
        assertThatThrownBy(() -> logs().invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"ftp://x/c\", \"items\":"
                + " [{\"id\": \".*\"}]}")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> logs().invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"" + sasUrl
                + "\", \"items\": [{\"id\": \"(\"}]}")).hasMessageContaining("is not a regular expression");
        assertThatThrownBy(() -> logs().invoke("{\"schemaVersion\": \"1.0\", \"sasUrl\": \"" + sasUrl
                + "\", \"items\": [{\"id\": \".*\"}], \"encoding\": \"zip\"}")).hasMessageContaining(
                        "encoding is none or gzip");
        assertThatThrownBy(() -> new GetTaskStatus(tasks).invoke("{\"schemaVersion\": \"1.0\"}"))
                .hasMessageContaining("needs the \"correlationId\"");
        assertThat(puts).isEmpty();
    }
}
