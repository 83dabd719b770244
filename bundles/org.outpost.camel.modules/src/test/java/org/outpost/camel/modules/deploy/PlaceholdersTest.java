/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.camel.modules.deploy.Placeholders.Placeholder;
import org.outpost.camel.modules.deploy.Placeholders.Type;

class PlaceholdersTest {

    @Test
    void placeholdersInCommentsAreNoProperties() {
        String yaml = """
                # Sends every {{period}} ms; set {{site}} to name the place.
                - route:
                    from:
                      uri: "timer:beat?period={{period:1000}}"  # a trailing comment is still read
                      steps:
                        - setBody:
                            constant: "#class is no comment: {{site:here}}"
                """;
        assertThat(Placeholders.of(yaml).values()).containsExactly(
                new Placeholder("period", Type.INTEGER, "1000", false),
                new Placeholder("site", Type.STRING, "here", false));
        String xml = """
                <!-- every {{period}} ms
                     and {{other}} -->
                <routes><route><from uri="timer:beat?period={{period:1000}}"/></route></routes>
                """;
        assertThat(Placeholders.of(xml).values()).containsExactly(
                new Placeholder("period", Type.INTEGER, "1000", false));
        assertThat(Placeholders.withoutComments(xml)).hasSameSizeAs(xml);
    }

    @Test
    void aDefaultGivesThePlaceholdersTypeAndOneWithoutIsRequired() {
        Map<String, Placeholder> p = Placeholders.of("""
                - route:
                    from:
                      uri: "timer:tick?period={{period:1000}}&repeatCount={{count}}"
                      steps:
                        - filter:
                            simple: "${body} > {{threshold:1.5}}"
                        - setHeader:
                            name: on
                            constant: "{{enabled:true}}"
                        - to: "{{target:outpost:output/out}}"
                        - to: "opc.tcp://{{opcua.host:localhost}}:{{opcua.port:4840}}"
                """);

        assertThat(p.values()).containsExactly(
                new Placeholder("period", Type.INTEGER, "1000", false),
                new Placeholder("count", Type.ANY, null, true),
                new Placeholder("threshold", Type.NUMBER, "1.5", false),
                new Placeholder("enabled", Type.BOOLEAN, "true", false),
                new Placeholder("target", Type.STRING, "outpost:output/out", false),
                new Placeholder("opcua.host", Type.STRING, "localhost", false),
                new Placeholder("opcua.port", Type.INTEGER, "4840", false));
    }

    @Test
    void camelsFunctionsAndOptionalPlaceholdersAreNoRequiredProperties() {
        Map<String, Placeholder> p = Placeholders.of("""
                <routes><route><from uri="file:{{env:HOME}}/in?x={{sys:user.home}}&amp;y={{?maybe}}"/>
                <filter><simple>{{!off}}</simple></filter>
                <to uri="log:{{level:INFO}}-{{level}}"/></route></routes>
                """);

        assertThat(p).containsOnlyKeys("maybe", "off", "level");
        assertThat(p.get("maybe").required()).isFalse();
        assertThat(p.get("off").type()).isEqualTo(Type.BOOLEAN);
        // The first default gives the type; the occurrence without one makes it required.
        assertThat(p.get("level")).isEqualTo(new Placeholder("level", Type.STRING, "INFO", true));
    }

    @Test
    void numbersAreWholeOrNot() {
        assertThat(Placeholders.typeOf("-12")).isEqualTo(Type.INTEGER);
        assertThat(Placeholders.typeOf("1e3")).isEqualTo(Type.NUMBER);
        assertThat(Placeholders.typeOf("0.5")).isEqualTo(Type.NUMBER);
        assertThat(Placeholders.typeOf("1.2.3")).isEqualTo(Type.STRING);
        assertThat(Placeholders.typeOf("True")).isEqualTo(Type.STRING);
        assertThat(Placeholders.typeOf("")).isEqualTo(Type.STRING);
        assertThat(Placeholders.typeOf(null)).isEqualTo(Type.ANY);
    }
}
