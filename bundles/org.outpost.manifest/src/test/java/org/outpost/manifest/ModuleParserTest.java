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

    private ModuleSpec parse(String name, String json) throws Exception {
        return parser.parse(name, JSON.readTree(json), "modules." + name, List.of());
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
}
