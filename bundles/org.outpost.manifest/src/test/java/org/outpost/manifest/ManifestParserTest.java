/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParserTest {

    static final LocationPolicy POLICY = new LocationPolicy(Set.of("mvn", "file", "https"),
            List.of(Path.of("/opt/outpost/modules")), List.of("org.acme", "org.acme.", "org.outpost"),
            List.of("repo.acme.example", "*.trusted.example"));
    private final ManifestParser parser = new ManifestParser(POLICY);

    static final String MANIFEST = """
            { "modulesContent": {
              "$edgeAgent": { "properties.desired": {
                "schemaVersion": "1.1",
                "runtime": { "type": "karaf", "settings": {
                    "featureRepositories": ["mvn:org.acme.edge/edge-modules/1.2.0/xml/features"] } },
                "systemModules": { "edgeAgent": { "type": "docker", "settings": { "image": "agent" } } },
                "modules": {
                  "sensor": { "version": "1.0", "type": "feature", "status": "running", "restartPolicy": "always",
                              "startupOrder": 1, "settings": { "feature": "acme-sensor", "featureVersion": "1.2.0" },
                              "env": { "INTERVAL_MS": { "value": "1000" } } },
                  "filter": { "type": "bundle", "status": "running", "restartPolicy": "on-failure",
                              "settings": { "location": "mvn:org.acme.edge/filter/1.0.0" } },
                  "legacy": { "type": "docker", "status": "stopped", "restartPolicy": "never", "startupOrder": 0,
                              "settings": { "image": "acme/legacy:2.1",
                                            "createOptions": "{\\"HostConfig\\": {\\"Privi",
                                            "createOptions01": "leged\\": false}}" } },
                  "script": { "type": "container", "settings": { "command": ["/usr/bin/python3", "run.py"],
                              "healthCheck": { "command": ["/bin/test", "-f", "ok"], "retries": 3 } } } } } },
              "$edgeHub": { "properties.desired": {
                "schemaVersion": "1.1",
                "routes": { "all": "FROM /messages/* INTO $upstream" },
                "storeAndForwardConfiguration": { "timeToLiveSecs": 7200 } } },
              "filter": { "properties.desired": { "threshold": 30 } } } }
            """;

    @Test
    void readsEveryModuleTypeWithItsSettingsInStartupOrder() throws Exception {
        DeploymentManifest m = parser.parse(MANIFEST);

        assertThat(m.schemaVersion()).isEqualTo("1.1");
        assertThat(m.featureRepositories()).containsExactly("mvn:org.acme.edge/edge-modules/1.2.0/xml/features");
        assertThat(m.modules().keySet()).containsExactly("legacy", "sensor", "filter", "script");

        ModuleSpec sensor = m.modules().get("sensor");
        assertThat(sensor.type()).isEqualTo(ModuleType.FEATURE);
        assertThat(sensor.feature()).isEqualTo("acme-sensor");
        assertThat(sensor.featureVersion()).isEqualTo("1.2.0");
        assertThat(sensor.env()).containsEntry("INTERVAL_MS", "1000");
        assertThat(sensor.version()).isEqualTo("1.0");

        ModuleSpec filter = m.modules().get("filter");
        assertThat(filter.type()).isEqualTo(ModuleType.BUNDLE);
        assertThat(filter.location()).isEqualTo("mvn:org.acme.edge/filter/1.0.0");
        assertThat(filter.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(filter.startupOrder()).isEqualTo(Integer.MAX_VALUE);

        ModuleSpec legacy = m.modules().get("legacy");
        assertThat(legacy.type()).isEqualTo(ModuleType.CONTAINER);
        assertThat(legacy.declaredType()).isEqualTo("docker");
        assertThat(legacy.status()).isEqualTo(DesiredStatus.STOPPED);
        assertThat(legacy.image()).isEqualTo("acme/legacy:2.1");
        assertThat(legacy.createOptions()).contains("Privileged");

        assertThat(m.modules().get("script").command()).containsExactly("/usr/bin/python3", "run.py");
        assertThat(m.modules().get("script").healthCheck()).isEqualTo(new HealthProbe(List.of("/bin/test", "-f",
                "ok"), 0, 5, 3));
        assertThat(legacy.healthCheck()).isNull();
        assertThat(m.modules().get("script").restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);

        assertThat(m.edgeHub()).contains("\"all\":\"FROM /messages/* INTO $upstream\"");
        assertThat(m.moduleTwins()).containsEntry("filter", "{\"threshold\":30}");
    }

    @Test
    void anIotEdgeManifestWithDockerModulesLoads() throws Exception {
        DeploymentManifest m = parser.parse("""
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {"schemaVersion": "1.0",
                    "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25", "loggingOptions": ""}},
                    "systemModules": {"edgeAgent": {"type": "docker", "settings": {"image": "a", "createOptions": ""}},
                                      "edgeHub": {"type": "docker", "settings": {"image": "h", "createOptions": ""}}},
                    "modules": {"tempSensor": {"version": "1.0", "type": "docker", "status": "running",
                      "restartPolicy": "always", "settings": {"image": "sim-temp:1.0", "createOptions": ""}}}}},
                  "$edgeHub": {"properties.desired": {"schemaVersion": "1.0",
                    "routes": {"route": "FROM /* INTO $upstream"},
                    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
                """);
        assertThat(m.modules().get("tempSensor").type()).isEqualTo(ModuleType.CONTAINER);
        assertThat(m.modules().get("tempSensor").image()).isEqualTo("sim-temp:1.0");
    }

    @Test
    void layeredSectionsAreMergedOverTheBase() throws Exception {
        DeploymentManifest m = parser.parse("""
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
                      "filter": {"type": "bundle", "settings": {"location": "mvn:org.acme.edge/filter/1.0.0"}}}},
                    "properties.desired.modules.extra": {"type": "bundle",
                      "settings": {"location": "mvn:org.acme.edge/extra/1.0.0"}},
                    "properties.desired.modules.filter.settings": {"location": "mvn:org.acme.edge/filter/2.0.0"}},
                  "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {}},
                    "properties.desired.routes.r1": "FROM /* INTO $upstream"}}}
                """);
        assertThat(m.modules().keySet()).containsExactlyInAnyOrder("filter", "extra");
        assertThat(m.modules().get("filter").location()).isEqualTo("mvn:org.acme.edge/filter/2.0.0");
        assertThat(m.edgeHub()).contains("\"r1\":\"FROM /* INTO $upstream\"");
    }

    record Bad(int code, String path, String reason, String json) {
        @Override
        public String toString() {
            return code + " " + path + ": " + reason;
        }
    }

    static Stream<Arguments> badManifests() throws IOException {
        List<Bad> cases = new ArrayList<>();
        try (InputStream in = ManifestParserTest.class.getResourceAsStream("/bad-manifests.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String block : text.split("\n=== ")) {
                if (block.startsWith("#")) {
                    continue;
                }
                int eol = block.indexOf('\n');
                String head = block.substring(0, eol);
                int bar = head.indexOf(" | ");
                String[] codeAndPath = head.substring(0, bar).split(" ", 2);
                cases.add(new Bad(Integer.parseInt(codeAndPath[0].strip()), codeAndPath.length > 1
                        ? codeAndPath[1].strip() : "", head.substring(bar + 3).strip(), block.substring(eol + 1)));
            }
        }
        assertThat(cases).hasSizeGreaterThan(35);
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManifests")
    void aBadManifestIsRejectedWithItsCodePathAndReason(Bad bad) {
        assertThatThrownBy(() -> parser.parse(bad.json())).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.code()).isEqualTo(bad.code());
            assertThat(e.path()).isEqualTo(bad.path());
            assertThat(e.reason()).contains(bad.reason());
            assertThat(e.getMessage()).startsWith(bad.code() + " ");
        });
    }
}
