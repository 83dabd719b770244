/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks endpoint types read their settings with: what each accepts, and what the error for the rest says. */
class EndpointSettingsTest {

    private static final Set<String> KNOWN = Set.of("url", "size", "properties", "password", "passwordFile");

    private static EndpointSettings of(Map<String, Object> values) {
        return new EndpointSettings(values, KNOWN);
    }

    @Test
    void anUnknownSettingIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> of(Map.of("url", "x", "zize", 3, "acks", 1))).isInstanceOf(
                IllegalArgumentException.class).hasMessage("settings.acks: unknown setting; known: [password,"
                        + " passwordFile, properties, size, url]");
        assertThat(of(null).string("url", "fallback")).isEqualTo("fallback");
    }

    @Test
    void stringsAreRequiredOrFallBackAndNumbersAndBooleansAreTheirText() {
        EndpointSettings s = of(Map.of("url", "http://a", "size", 12, "password", true));
        assertThat(s.string("url")).isEqualTo("http://a");
        assertThat(s.string("size")).isEqualTo("12");
        assertThat(s.string("password", null)).isEqualTo("true");
        assertThat(s.string("passwordFile", "none")).isEqualTo("none");
        assertThatThrownBy(() -> s.string("passwordFile")).hasMessage("settings.passwordFile: required");
        assertThatThrownBy(() -> of(Map.of("url", " ")).string("url")).hasMessage("settings.url: required");
        assertThatThrownBy(() -> of(Map.of("url", List.of("a"))).string("url", null))
                .hasMessageStartingWith("settings.url: expected a string, got ");
    }

    @Test
    void numbersAreWholeAndAtLeastTheMinimum() {
        assertThat(of(Map.of("size", 5)).number("size", 1, 0)).isEqualTo(5);
        assertThat(of(Map.of("size", 5.0)).number("size", 1, 0)).isEqualTo(5);
        assertThat(of(Map.of("size", " -7 ")).number("size", 1, -10)).isEqualTo(-7);
        assertThat(of(Map.of()).number("size", -1, 0)).as("the fallback is not checked").isEqualTo(-1);
        assertThatThrownBy(() -> of(Map.of("size", 2.5)).number("size", 1, 0))
                .hasMessage("settings.size: expected a whole number, got 2.5");
        assertThatThrownBy(() -> of(Map.of("size", "ten")).number("size", 1, 0))
                .hasMessage("settings.size: expected a whole number, got ten");
        assertThatThrownBy(() -> of(Map.of("size", -1)).number("size", 1, 0))
                .hasMessage("settings.size: -1 is below the minimum 0");
    }

    @Test
    void aMapIsOfPlainValuesAsTextInItsOrder() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("linger.ms", 5);
        properties.put("client.id", "hub");
        properties.put("enable.idempotence", false);
        assertThat(of(Map.of("properties", properties)).map("properties")).containsExactly(Map.entry("linger.ms", "5"),
                Map.entry("client.id", "hub"), Map.entry("enable.idempotence", "false"));
        assertThat(of(Map.of()).map("properties")).isEmpty();
        assertThatThrownBy(() -> of(Map.of("properties", "a=b")).map("properties"))
                .hasMessage("settings.properties: expected an object of names and values");
        assertThatThrownBy(() -> of(Map.of("properties", Map.of("ssl", Map.of("x", 1)))).map("properties"))
                .hasMessage("settings.properties.ssl: expected a string, number or boolean");
        assertThatThrownBy(() -> of(Map.of("properties", Map.of("hosts", List.of()))).map("properties"))
                .hasMessage("settings.properties.hosts: expected a string, number or boolean");
    }

    @Test
    void thePasswordIsGivenOrTheFirstLineOfItsFile(@TempDir Path dir) throws Exception {
        assertThat(of(Map.of()).password()).isEmpty();
        assertThat(of(Map.of("password", "s3cret")).password()).isEqualTo("s3cret");
        Path file = Files.writeString(dir.resolve("pw"), "  from-file \nsecond line\n");
        assertThat(of(Map.of("passwordFile", file.toString())).password()).isEqualTo("from-file");
        assertThatThrownBy(() -> of(Map.of("password", "a", "passwordFile", file.toString())).password())
                .hasMessage("settings.passwordFile: give password or passwordFile, not both");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> of(Map.of("passwordFile", missing.toString())).password())
                .hasMessageStartingWith("settings.passwordFile: cannot read " + missing + " (")
                .hasMessageEndingWith("): create it with the password on its first line");
    }

    @Test
    void aRelativePathIsUnderItsBaseAndAnAbsoluteOneStays(@TempDir Path dir) {
        assertThat(EndpointSettings.resolve("a/b", dir.toString())).isEqualTo(dir.resolve("a/b").toAbsolutePath());
        assertThat(EndpointSettings.resolve(dir.resolve("c").toString(), "/elsewhere"))
                .isEqualTo(dir.resolve("c").toAbsolutePath());
        assertThat(EndpointSettings.resolve("d", null)).isEqualTo(Path.of("d").toAbsolutePath());
    }

    @Test
    void wrongNamesTheSetting() {
        assertThat(EndpointSettings.wrong("topic", "'a/b' is not a topic name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("settings.topic: 'a/b' is not a topic name");
    }
}
