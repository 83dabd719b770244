/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Support bundles and logs, asked from the hub of a real gateway: {@code UploadSupportBundle} through the REST API
 * yields a zip at the hub (uploaded by the gateway as Azure Put Blob to the hub's signed URL) with no secret in it
 * (the device key of the secrets folder, passwords and tokens in a configuration, a password in the deployment's
 * module environment); {@code UploadModuleLogs} through {@code hub:support-bundle --logs} yields the module's log;
 * {@code GetTaskStatus} answers as IoT Edge's. One hub and gateway for all of it.
 */
public class SupportBundleIT {

    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");
    private static final String DEVICE = CloudPair.DEVICE;
    /** Secrets the gateway holds: none may be in what it uploads. */
    private static final String CONFIG_PASSWORD = "ItConfigPassword-7f3a91";
    private static final String CONFIG_TOKEN = "ItConfigToken-c0ffee42";
    private static final String ENV_PASSWORD = "ItEnvPassword-5d1e77";

    private static CloudPair pair;
    private static String api;
    private static String token;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeClass
    public static void start() throws Exception {
        Map<String, Map<String, String>> config = new LinkedHashMap<>();
        // A configuration holding secrets by name, as an operator's own PID might.
        config.put("org.outpost.itest.support", Map.of("password", CONFIG_PASSWORD, "api.token", CONFIG_TOKEN,
                "note", "a plain value"));
        pair = CloudPair.start(config);
        api = "http://127.0.0.1:" + pair.hub.httpPort();
        Path tokenFile = pair.hub.home().resolve("data/outpost/hub/api-token");
        await("the API token").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
        token = Files.readString(tokenFile).strip();
        // A module whose environment holds a password: the deployment in the bundle must not show it.
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        Path agent = Files.createTempFile(base, "support-agent", ".json");
        Files.writeString(agent, "{\"schemaVersion\": \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\","
                + " \"env\": {\"DB_PASSWORD\": {\"value\": \"" + ENV_PASSWORD + "\"}}, \"settings\": {\"location\":"
                + " \"mvn:org.outpost/heartbeat/" + VERSION + "\"}}}}");
        assertThat(pair.hub.shell("hub:twin-set --replace -m '$edgeAgent' -f " + agent + " " + DEVICE))
                .contains("at version 2");
        await("heartbeat running on the gateway").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> pair.gateway.shell("edge:status").matches(
                        "(?s).*heartbeat\\s*\\|\\s*bundle\\s*\\|[^\\n]*running\\s*\\|\\s*running.*"));
    }

    @AfterClass
    public static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static HttpResponse<byte[]> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }

    @Test
    public void uploadSupportBundleFromTheHubYieldsAZipAtTheHubWithNoSecretInIt() throws Exception {
        HttpResponse<byte[]> asked = call("POST", "/api/uploads", "{\"deviceId\": \"" + DEVICE + "\", \"kind\":"
                + " \"support-bundle\", \"options\": {\"since\": \"1h\"}}");
        assertThat(asked.statusCode()).as(text(asked)).isEqualTo(201);
        String id = field(text(asked), "id");
        assertThat(field(text(asked), "taskStatus")).isIn("NotStarted", "Running", "Completed");

        String done = await("the bundle at the hub").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> text(call("GET", "/api/uploads/" + id, null)), j -> j.contains("\"taskStatus\" :"
                        + " \"Completed\"") && j.contains("/files/"));
        assertThat(done).containsPattern("\"name\" : \"[^\"]*/" + DEVICE + "/support-bundle-[0-9-]+\\.zip\"");
        String href = field(done, "href");
        HttpResponse<byte[]> zip = call("GET", href, null);
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");

        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsKeys("README.txt", "system.json", "status/deployment.json", "status/modules.json",
                "status/routes.json", "status/upstream.json", "threads.txt", "config/configurations.json",
                "deployment/current.json", "deployment/result.json", "logs/gateway.log", "logs/modules/heartbeat.log");
        assertThat(entries.get("config/configurations.json")).contains("org.outpost.itest.support", "a plain value",
                "<redacted>");
        assertThat(entries.get("deployment/current.json")).contains("heartbeat", "DB_PASSWORD");
        assertThat(entries.get("logs/gateway.log")).contains("Twin " + DEVICE + "/$edgeAgent connected");
        assertThat(entries.get("status/upstream.json")).contains("\"state\"");
        String all = String.join("\n", entries.values());
        for (String secret : List.of(pair.key, CONFIG_PASSWORD, CONFIG_TOKEN, ENV_PASSWORD)) {
            assertThat(all).as("the support bundle holds a secret").doesNotContain(secret);
        }
        assertThat(entries.keySet()).noneMatch(n -> n.contains("outpost-secrets"));

        assertThat(pair.hub.shell("hub:uploads " + DEVICE)).contains(id, "support-bundle", "Completed");
    }

    @Test
    public void uploadModuleLogsAndGetTaskStatusFromTheHubShell() throws Exception {
        Path out = Files.createTempDirectory(Path.of(System.getProperty("outpost.exam.dir", "target"))
                .toAbsolutePath().getParent(), "support-logs");
        String printed = pair.hub.shell("hub:support-bundle --logs --module 'heart.*' --tail 50 --wait 60 --output "
                + out + " --json " + DEVICE);
        assertThat(printed).contains("\"kind\" : \"module-logs\"", "\"taskStatus\" : \"Completed\"");
        String correlationId = field(printed, "correlationId");
        try (var files = Files.list(out)) {
            List<Path> saved = files.toList();
            assertThat(saved).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                    .matches("heartbeat-[0-9-]+\\.log"));
            assertThat(Files.readString(saved.get(0))).doesNotContain(ENV_PASSWORD);
        }
        // GetTaskStatus as IoT Edge answers it, for a known task and for one it does not know.
        assertThat(pair.hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " GetTaskStatus '{\"schemaVersion\":"
                + " \"1.0\", \"correlationId\": \"" + correlationId + "\"}'")).contains("Status: 200",
                        "\"status\" : \"Completed\"", "\"correlationId\" : \"" + correlationId + "\"");
        assertThat(pair.hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " GetTaskStatus '{\"schemaVersion\":"
                + " \"1.0\", \"correlationId\": \"nope\"}'")).contains("\"status\" : \"Unknown\"");
        // A wrong payload is the caller's error, said as such.
        assertThat(pair.hub.shell("hub:invoke -m '$edgeAgent' " + DEVICE + " UploadModuleLogs '{\"schemaVersion\":"
                + " \"1.0\"}'")).contains("Status: 400", "sasUrl is missing");
        // A signature that is not the upload's is refused as Azure storage refuses it.
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/uploads/x/y.zip?sig=z"))
                .PUT(HttpRequest.BodyPublishers.ofString("zip")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<Code>AuthenticationFailed</Code>");
    }

    @Test
    public void theDashboardAsksForASupportBundleAndDownloadsIt() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("outpost.exam.dir", "target"))
                .toAbsolutePath().getParent(), "support-dashboard");
        String modules = System.getProperty("outpost.playwright.modules");
        assertThat(Path.of(modules, "playwright-core")).as("Playwright-core, installed by the itests build (npm)")
                .isDirectory();
        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src/test/js/uploads.mjs").toAbsolutePath().toString(),
                api, token, DEVICE, dir.toString()).redirectErrorStream(true);
        pb.environment().put("PLAYWRIGHT_MODULES", modules);
        pb.environment().put("CHROMIUM", System.getProperty("outpost.chromium", "/usr/bin/chromium"));
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(node.waitFor()).as(out).isZero();
        assertThat(out).contains("step: the upload shows Completed with its file", "UPLOADS OK");
    }
}
