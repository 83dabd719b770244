/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ModuleParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ModuleParser parser = new ModuleParser(ManifestParserTest.POLICY);

    private final List<String> warnings = new java.util.ArrayList<>();

    private ModuleSpec parse(String name, String json) throws Exception {
        return parser.parse(name, JSON.readTree(json), "modules." + name, List.of(), warnings);
    }

    @Test
    void anEnvNameIsAnyNameTheContainerEngineAccepts() throws Exception {
        ModuleSpec spec = parse("coordinator", "{\"type\": \"docker\", \"env\": {\"Logging:LogLevel:Microsoft\":"
                + " {\"value\": \"Error\"}, \"1ST\": {\"value\": 1}, \"a.b-c\": {\"value\": false}},"
                + " \"settings\": {\"image\": \"acme/coordinator:1\"}}");

        assertThat(spec.env()).containsEntry("Logging:LogLevel:Microsoft", "Error").containsEntry("1ST", "1")
                .containsEntry("a.b-c", "false");
        for (String bad : List.of("A=B", "", "NUL\\u0000")) {
            assertThatThrownBy(() -> parse("x", "{\"type\": \"docker\", \"env\": {" + JSON.writeValueAsString(
                    JSON.readTree("\"" + bad + "\"").textValue()) + ": {\"value\": \"1\"}}, \"settings\":"
                    + " {\"image\": \"acme/x:1\"}}"))
                    .hasMessageContaining("modules.x.env.").hasMessageContaining("not a variable name (any name but"
                            + " an empty one or one with '=' or NUL)");
        }
    }

    @Test
    void anImagePinnedByItsDigestIsTakenAsItIsAndAMalformedDigestIsRefused() throws Exception {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        assertThat(parse("cam", "{\"type\": \"docker\", \"settings\": {\"image\": \"acr.io/acme/cam@" + digest
                + "\"}}").image()).isEqualTo("acr.io/acme/cam@" + digest);
        assertThat(parse("cam", "{\"type\": \"docker\", \"settings\": {\"image\":"
                + " \"localhost:5000/acme/cam:1.2@" + digest + "\"}}").image()).endsWith(digest);

        for (String bad : List.of("acme/cam@sha256:abc", "acme/cam@sha256:" + "0123456789ABCDEF".repeat(4),
                "acme/cam@md5:0123456789abcdef0123456789abcdef", "@" + digest)) {
            assertThatThrownBy(() -> parse("cam", "{\"type\": \"docker\", \"settings\": {\"image\": \"" + bad
                    + "\"}}")).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("400 modules.cam.settings.image: ")
                    .hasMessageContaining("is not an image digest");
        }
        assertThatThrownBy(() -> parse("cam", "{\"type\": \"docker\", \"settings\": {\"image\":"
                + " \"--privileged\"}}")).hasMessageContaining("modules.cam.settings.image: '--privileged' is not an"
                        + " image reference");
    }

    @Test
    void whatOutpostDoesNotHonourIsAWarningNotARefusal() throws Exception {
        parse("cam", "{\"type\": \"docker\", \"imagePullPolicy\": \"never\", \"nodeSelector\": {},"
                + " \"settings\": {\"image\": \"acme/cam:1\", \"createOptions\": \"{\\\"StopSignal\\\":"
                + " \\\"SIGINT\\\"}\"}}");

        assertThat(warnings).containsExactly(
                "modules.cam.nodeSelector: not a module field Outpost knows; ignored",
                "modules.cam.imagePullPolicy: 'never' is not honoured; Outpost pulls a module's image when it"
                        + " installs the module (on-create)",
                "modules.cam.settings.createOptions.StopSignal: not translated for the container engine; ignored");
        assertThatThrownBy(() -> parse("cam", "{\"type\": \"docker\", \"imagePullPolicy\": \"sometimes\","
                + " \"settings\": {\"image\": \"acme/cam:1\"}}")).hasMessageContaining("modules.cam.imagePullPolicy:"
                        + " 'sometimes' is not an image pull policy (on-create or never)");
    }

    @Test
    void aContainerModuleJoinsCreateOptionsSplitAsIotEdgeSplitsThem() throws Exception {
        JsonNode options = JSON.readTree("{\"HostConfig\": {\"Memory\": 1024}}");
        String text = options.toString();
        ModuleSpec spec = parse("sensor", "{\"type\": \"docker\", \"status\": \"stopped\", \"startupOrder\": 2,"
                + " \"settings\": {\"image\": \"acme/sensor:1\", \"createOptions\": " + JSON.writeValueAsString(
                        text.substring(0, 10)) + ", \"createOptions01\": " + JSON.writeValueAsString(text.substring(
                                10)) + "}}");

        assertThat(spec.type()).isEqualTo(ModuleType.CONTAINER);
        assertThat(spec.declaredType()).isEqualTo("docker");
        assertThat(spec.createOptions()).isEqualTo(text);
        assertThat(spec.status()).isEqualTo(DesiredStatus.STOPPED);
        assertThat(spec.startupOrder()).isEqualTo(2);
        assertThat(spec.configPid()).isEqualTo("org.outpost.module.sensor");
    }

    @Test
    void whatIsWrongIsNamedByItsPath() {
        assertThatThrownBy(() -> parse("beat", "{\"type\": \"bundle\", \"settings\": {}}"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("modules.beat.settings.location: missing: a bundle module needs");
        assertThatThrownBy(() -> parse("beat", "{\"type\": \"bundle\", \"restartPolicy\": \"sometimes\","
                + " \"settings\": {\"location\": \"mvn:org.acme/beat/1\"}}"))
                .hasMessageContaining("modules.beat.restartPolicy: 'sometimes' is not a restart policy");
        assertThatThrownBy(() -> parse("sensor", "{\"type\": \"container\", \"settings\": {\"command\": [\"/bin/x\"],"
                + " \"healthCheck\": {\"command\": [\"/bin/check\"], \"retries\": 0}}}"))
                .hasMessageContaining("modules.sensor.settings.healthCheck.retries: must be a whole number from 1 to"
                        + " 100");
    }

    @Test
    void aCamelModuleNamesItsRoutesByLocationOrCarriesThemInline() throws Exception {
        ModuleSpec byLocation = parse("reader", "{\"type\": \"camel\", \"settings\": {\"routes\":"
                + " \"mvn:org.acme/reader/1.0/yaml\"}}");
        assertThat(byLocation.type()).isEqualTo(ModuleType.CAMEL);
        assertThat(byLocation.camel()).isEqualTo(new CamelRoutes(List.of("mvn:org.acme/reader/1.0/yaml"), null,
                "yaml"));
        assertThat(byLocation.configPid()).isEqualTo("org.outpost.module.reader");

        ModuleSpec list = parse("reader", "{\"type\": \"camel\", \"settings\": {\"routes\":"
                + " [\"mvn:org.acme/a/1.0/xml\", \"mvn:org.acme/b/1.0/yaml\"], \"format\": \"xml\", \"pid\":"
                + " \"org.acme.reader\"}}");
        assertThat(list.camel().locations()).containsExactly("mvn:org.acme/a/1.0/xml", "mvn:org.acme/b/1.0/yaml");
        assertThat(list.camel().formatOf("mvn:org.acme/a/1.0/xml")).isEqualTo("xml");
        assertThat(list.camel().formatOf("file:/opt/routes/b.camel.yaml")).isEqualTo("yaml");
        assertThat(list.camel().formatOf("mvn:org.acme/b/1.0/yaml/routes")).isEqualTo("yaml");
        assertThat(list.camel().formatOf("https://repo.acme.example/b")).isEqualTo("xml");
        assertThat(list.configPid()).isEqualTo("org.acme.reader");

        ModuleSpec inline = parse("filter", "{\"type\": \"camel\", \"settings\": {\"inline\": \"- from:\\n"
                + "    uri: timer:t\\n\"}}");
        assertThat(inline.camel().inline()).isEqualTo("- from:\n    uri: timer:t\n");
        assertThat(inline.camel().format()).isEqualTo("yaml");
        assertThat(inline.camel().locations()).isEmpty();

        assertThat(inline.needsUpdateTo(parse("filter", "{\"type\": \"camel\", \"settings\": {\"inline\":"
                + " \"- from:\\n    uri: timer:u\\n\"}}"))).isTrue();
        assertThat(inline.needsUpdateTo(parse("filter", "{\"type\": \"camel\", \"status\": \"stopped\","
                + " \"settings\": {\"inline\": \"- from:\\n    uri: timer:t\\n\"}}"))).isFalse();
    }

    @Test
    void aCamelModuleWithoutRoutesOrWithBadOnesIsRefusedWithThePath() {
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {}}"))
                .hasMessageContaining("400 modules.r.settings.routes: missing: a camel module needs");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"routes\": \"mvn:org.acme/r/1\","
                + " \"inline\": \"- from: {}\"}}")).hasMessageContaining("400 modules.r.settings: give either routes");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"routes\": []}}"))
                .hasMessageContaining("400 modules.r.settings.routes: must be a location or a non-empty list");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"routes\":"
                + " [\"mvn:org.acme/r/1\", 7]}}")).hasMessageContaining("400 modules.r.settings.routes[1]: must be a"
                        + " location");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"routes\":"
                + " \"ftp://host/r.camel.yaml\"}}")).hasMessageContaining("400 modules.r.settings.routes: location"
                        + " 'ftp://host/r.camel.yaml': scheme 'ftp' is not allowed");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"inline\": \" \"}}"))
                .hasMessageContaining("400 modules.r.settings.inline: must be the routes as text");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"inline\": \"x\","
                + " \"format\": \"json\"}}")).hasMessageContaining("400 modules.r.settings.format: 'json' is not a"
                        + " route format (yaml or xml)");
        assertThatThrownBy(() -> parse("r", "{\"type\": \"camel\", \"settings\": {\"inlined\": \"x\"}}"))
                .hasMessageContaining("400 modules.r.settings.inlined: unknown setting of a camel module");
    }
}
