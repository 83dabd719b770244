/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.support.api.SupportBundles;

class SupportBundleServiceTest {

    /** Secrets as they sit in the gateway's configuration, logs, manifest and secrets folder. */
    static final List<String> SECRETS = List.of("UPSTREAMPASSWORD77", "c2FzS2V5Rm9yVGhlVGVzdEdhdGV3YXkwMTIzNDU2Nzg=",
            "TWINKEY5566778899", "JAASSECRETVALUE", "SIGFROMLOG123", "REGISTRYPASS42", "SECRETSFOLDERKEY99",
            "MODULELOGPASSWORD1");

    @TempDir
    Path dir;
    private final Fakes.FakeDeployer deployer = new Fakes.FakeDeployer();
    private SupportBundleService service;

    @BeforeEach
    void gateway() throws IOException {
        Path log = Files.createDirectories(dir.resolve("data/log"));
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");
        LocalDateTime now = LocalDateTime.now(ZoneId.systemDefault());
        Files.writeString(log.resolve("karaf.log.1"), f.format(now.minusHours(3)) + " | INFO  | main | old entry\n");
        Files.writeString(log.resolve("karaf.log"), f.format(now.minusMinutes(5)) + " | INFO  | upstream | connecting"
                + " to ssl://hub:8883 with SharedAccessSignature sr=hub%2Fdevices%2Fgw&sig=SIGFROMLOG123&se=99\n"
                + f.format(now.minusMinutes(1)) + " | ERROR | twin | failed\n\tat a.b.C(C.java:1)\n");
        Path deployment = Files.createDirectories(dir.resolve("data/outpost/deployment"));
        Files.writeString(deployment.resolve("current.json"), "{\"modulesContent\": {\"$edgeAgent\": "
                + "{\"properties.desired\": {\"runtime\": {\"settings\": {\"registryCredentials\": {\"r\":"
                + " {\"username\": \"u\", \"password\": \"REGISTRYPASS42\"}}}}}}}}");
        Path secrets = Files.createDirectories(dir.resolve("etc/outpost-secrets"));
        Files.writeString(secrets.resolve("gateway.properties"), "device.key = SECRETSFOLDERKEY99\n");
        deployer.logs.put("filter", List.of("2026-12-05T10:00:00,000 | INFO | filter started",
                "2026-12-05T10:00:01,000 | WARN | filter login password=MODULELOGPASSWORD1"));
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        configs.put("org.outpost.upstream", Map.of("url", "ssl://hub:8883", "password", "UPSTREAMPASSWORD77",
                "sas.key", "c2FzS2V5Rm9yVGhlVGVzdEdhdGV3YXkwMTIzNDU2Nzg=", "secrets.file",
                "outpost-secrets/gateway.properties"));
        configs.put("org.outpost.twin", Map.of("host.name", "hub.example", "key", "TWINKEY5566778899"));
        configs.put("org.apache.karaf.jaas", Map.of("encryption.prefix", "JAASSECRETVALUE"));
        service = new SupportBundleService(deployer, Fakes.runtime("gw-1"), Fakes.configurations(configs), log,
                deployment, Fakes.settings());
    }

    private Map<String, String> bundle(SupportBundles.Request request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> names = service.write(request, out);
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries.keySet()).containsExactlyElementsOf(names);
        return entries;
    }

    @Test
    void theBundleHoldsLogsStatusConfigurationThreadsAndTheLastDeploymentWithNoSecretInIt() throws IOException {
        Map<String, String> entries = bundle(new SupportBundles.Request(null, null, false));
        assertThat(entries).containsKeys("README.txt", "system.json", "status/deployment.json",
                "status/modules.json", "threads.txt", "config/configurations.json", "deployment/result.json",
                "deployment/current.json", "logs/gateway.log", "logs/modules/filter.log", "logs/modules/sensor.log");
        // Optional services that are not there say so instead of failing the bundle.
        assertThat(entries).containsKeys("status/routes.json.error.txt", "checks.json.error.txt");
        assertThat(entries.get("checks.json.error.txt")).contains("is not running on this gateway");
        assertThat(entries.get("logs/gateway.log")).contains("old entry", "connecting to ssl://hub:8883",
                "at a.b.C(C.java:1)");
        assertThat(entries.get("logs/modules/filter.log")).contains("filter started", "password=<redacted>");
        assertThat(entries.get("config/configurations.json")).contains("\"url\" : \"ssl://hub:8883\"",
                "\"host.name\" : \"hub.example\"", "outpost-secrets/gateway.properties", "<redacted>");
        assertThat(entries.get("deployment/current.json")).contains("registryCredentials");
        assertThat(entries.get("status/deployment.json")).contains("\"lastDesiredVersion\" : 3");
        assertThat(entries.get("threads.txt")).contains("Thread dump at", "\tat ");
        assertThat(entries.get("system.json")).contains("\"deviceId\" : \"gw-1\"");
        String all = String.join("\n", entries.values()) + String.join("\n", entries.keySet());
        for (String secret : SECRETS) {
            assertThat(all).as("the bundle leaks %s", secret).doesNotContain(secret);
        }
        assertThat(entries.keySet()).noneMatch(n -> n.contains("outpost-secrets"));
    }

    @Test
    void sinceLeavesOutOlderEntriesAndEdgeRuntimeOnlyTheModulesLogs() throws IOException {
        Map<String, String> entries = bundle(new SupportBundles.Request(Instant.now().minusSeconds(3600), null,
                true));
        assertThat(entries.get("logs/gateway.log")).doesNotContain("old entry").contains("connecting",
                "at a.b.C(C.java:1)");
        assertThat(entries.keySet()).noneMatch(n -> n.startsWith("logs/modules/"));
        assertThat(entries.get("README.txt")).contains("gw-1", "no (edgeRuntimeOnly)");
    }

    @Test
    void untilLeavesOutNewerEntries() throws IOException {
        Map<String, String> entries = bundle(new SupportBundles.Request(null, Instant.now().minusSeconds(120),
                false));
        assertThat(entries.get("logs/gateway.log")).contains("old entry", "connecting").doesNotContain("failed");
        assertThat(deployer.queries).isNotEmpty().allMatch(q -> q.until() != null);
    }
}
