/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonConfigurationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A schema as a module's Metatype would give it. */
    private static final ConfigurationSchema FILTER = new ConfigurationSchema("f", List.of(
            AttributeSchema.of("threshold", AttributeType.DOUBLE),
            AttributeSchema.of("interval.ms", AttributeType.LONG),
            AttributeSchema.of("mode", AttributeType.STRING).withOptions("fast", "slow"),
            AttributeSchema.of("tags", AttributeType.STRING).withCardinality(-10),
            AttributeSchema.of("enabled", AttributeType.BOOLEAN)));

    private static JsonNode value(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    static Stream<Arguments> valuesThatFit() {
        return Stream.of(
                Arguments.of(AttributeType.STRING, "\"text\"", "text"),
                Arguments.of(AttributeType.PASSWORD, "\"secret\"", "secret"),
                Arguments.of(AttributeType.CHARACTER, "\"c\"", 'c'),
                Arguments.of(AttributeType.BOOLEAN, "false", false),
                Arguments.of(AttributeType.LONG, "9007199254740993", 9007199254740993L),
                Arguments.of(AttributeType.INTEGER, "-2147483648", Integer.MIN_VALUE),
                Arguments.of(AttributeType.SHORT, "32767", (short) 32767),
                Arguments.of(AttributeType.BYTE, "-128", (byte) -128),
                Arguments.of(AttributeType.DOUBLE, "30", 30.0),
                Arguments.of(AttributeType.DOUBLE, "2.5e3", 2500.0),
                Arguments.of(AttributeType.FLOAT, "1.5", 1.5f));
    }

    @ParameterizedTest(name = "{0} takes {1}")
    @MethodSource("valuesThatFit")
    void aValueThatFitsItsTypeBecomesThatJavaType(AttributeType type, String json, Object expected) throws Exception {
        Object v = JsonConfiguration.typedValue(value(json), AttributeSchema.of("a", type), "desired.a");

        assertThat(v).isEqualTo(expected).isInstanceOf(type.javaType());
    }

    static Stream<Arguments> valuesThatDoNotFit() {
        AttributeSchema one = AttributeSchema.of("a", AttributeType.STRING);
        return Stream.of(
                Arguments.of(one, "1", "desired.a: 1 is not a string"),
                Arguments.of(one, "null", "desired.a: null is not a string"),
                Arguments.of(one, "{\"x\": 1}", "desired.a: {\"x\":1} is not a string"),
                Arguments.of(one, "[\"x\"]", "desired.a: takes one string, not a list"),
                Arguments.of(one.withOptions("x", "y"), "\"z\"", "desired.a: 'z' is not one of x, y"),
                Arguments.of(one.withValidator(v -> v.length() > 3 ? "is longer than 3" : ""), "\"long\"",
                        "desired.a: 'long' is longer than 3"),
                Arguments.of(AttributeSchema.of("a", AttributeType.PASSWORD), "true", "desired.a: true is not a string"),
                Arguments.of(AttributeSchema.of("a", AttributeType.CHARACTER), "\"ab\"",
                        "desired.a: \"ab\" is not a single character"),
                Arguments.of(AttributeSchema.of("a", AttributeType.BOOLEAN), "\"true\"",
                        "desired.a: \"true\" is not a boolean"),
                Arguments.of(AttributeSchema.of("a", AttributeType.LONG), "2.5", "desired.a: 2.5 is not an integer"),
                Arguments.of(AttributeSchema.of("a", AttributeType.LONG), "9223372036854775808",
                        "desired.a: 9223372036854775808 is not an integer"),
                Arguments.of(AttributeSchema.of("a", AttributeType.INTEGER), "2147483648",
                        "desired.a: 2147483648 is not an integer"),
                Arguments.of(AttributeSchema.of("a", AttributeType.SHORT), "32768",
                        "desired.a: 32768 is not an integer from -32768 to 32767"),
                Arguments.of(AttributeSchema.of("a", AttributeType.BYTE), "128",
                        "desired.a: 128 is not an integer from -128 to 127"),
                Arguments.of(AttributeSchema.of("a", AttributeType.DOUBLE), "\"hot\"",
                        "desired.a: \"hot\" is not a number"),
                Arguments.of(AttributeSchema.of("a", AttributeType.FLOAT).withCardinality(5), "[1, \"x\"]",
                        "desired.a[1]: \"x\" is not a number"),
                Arguments.of(AttributeSchema.of("a", AttributeType.LONG).withCardinality(-2), "[1, 2, 3]",
                        "desired.a: takes at most 2 values, got 3"),
                Arguments.of(AttributeSchema.of("a", AttributeType.LONG).withCardinality(2).withOptions("1", "2"),
                        "[1, 3]", "desired.a[1]: '3' is not one of 1, 2"));
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("valuesThatDoNotFit")
    void aValueThatDoesNotFitIsRefusedWithItsPathAndWhatWasExpected(AttributeSchema attribute, String json,
            String message) throws Exception {
        assertThatThrownBy(() -> JsonConfiguration.typedValue(value(json), attribute, "desired.a"))
                .isInstanceOf(ConfigurationJsonException.class).hasMessage(message);
    }

    @Test
    void desiredPropertiesThatFitBecomeConfigurationOfTheDeclaredTypesInTheirOrder() throws Exception {
        Map<String, Object> c = JsonConfiguration.toConfiguration(object("{\"threshold\": 30, \"interval.ms\": 250,"
                + " \"mode\": \"fast\", \"tags\": [\"a\", \"b\"], \"enabled\": true}"), "desired", FILTER);

        assertThat(c).containsKeys("threshold", "interval.ms", "mode", "tags", "enabled")
                .containsEntry("threshold", 30.0).containsEntry("interval.ms", 250L).containsEntry("mode", "fast")
                .containsEntry("enabled", true);
        assertThat(c.keySet()).containsExactly("threshold", "interval.ms", "mode", "tags", "enabled");
        assertThat((String[]) c.get("tags")).containsExactly("a", "b");
    }

    @Test
    void oneValueForAListIsAListOfOne() throws Exception {
        Map<String, Object> c = JsonConfiguration.typed(object("{\"tags\": \"a\"}"), "desired", FILTER);

        assertThat((String[]) c.get("tags")).containsExactly("a");
    }

    @Test
    void aListOfAnyLengthTakesAsManyValuesAsItIsGiven() throws Exception {
        for (int unbounded : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            Object v = JsonConfiguration.typedValue(value("[1, 2, 3]"),
                    AttributeSchema.of("a", AttributeType.INTEGER).withCardinality(unbounded), "a");

            assertThat((Integer[]) v).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aPropertyTheSchemaDoesNotHaveIsRefusedNamingThoseItHas() {
        assertThatThrownBy(() -> JsonConfiguration.typed(object("{\"threshhold\": 3}"), "desired",
                new ConfigurationSchema("filter's configuration p", FILTER.attributes())))
                .isInstanceOf(ConfigurationJsonException.class)
                .hasMessage("desired.threshhold: filter's configuration p has no property 'threshhold' (it has"
                        + " enabled, interval.ms, mode, tags, threshold)")
                .satisfies(e -> {
                    ConfigurationJsonException c = (ConfigurationJsonException) e;
                    assertThat(c.path()).isEqualTo("desired.threshhold");
                    assertThat(c.problem()).startsWith("filter's configuration p has no property");
                });
    }

    @Test
    void theFirstMisfitIsTheOneRefused() {
        assertThatThrownBy(() -> JsonConfiguration.typed(object("{\"mode\": \"turbo\", \"threshold\": \"hot\"}"),
                "desired", FILTER)).hasMessage("desired.mode: 'turbo' is not one of fast, slow");
    }

    @Test
    void atTheRootThePathIsTheKeyAlone() {
        assertThatThrownBy(() -> JsonConfiguration.typed(object("{\"enabled\": 1}"), "", FILTER))
                .hasMessage("enabled: 1 is not a boolean");
    }

    @Test
    void withASchemaDollarMembersAreNotSkipped() {
        assertThatThrownBy(() -> JsonConfiguration.typed(object("{\"$version\": 4}"), "desired", FILTER))
                .hasMessageStartingWith("desired.$version: f has no property '$version'");
    }

    static Stream<Arguments> untypedValues() {
        return Stream.of(
                Arguments.of("\"t\"", "t"),
                Arguments.of("3", 3L),
                Arguments.of("-9007199254740993", -9007199254740993L),
                Arguments.of("1.5", 1.5),
                Arguments.of("1e2", 100.0),
                Arguments.of("true", true),
                Arguments.of("null", "null"),
                Arguments.of("{\"a\": 1}", "{\"a\":1}"),
                Arguments.of("[1, 2]", new Long[] {1L, 2L}),
                Arguments.of("[1, 2.5]", new Double[] {1.0, 2.5}),
                Arguments.of("[\"a\", \"b\"]", new String[] {"a", "b"}),
                Arguments.of("[\"a\", 1]", "[\"a\",1]"),
                Arguments.of("[[1], [2]]", "[[1],[2]]"),
                Arguments.of("[]", "[]"));
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @MethodSource("untypedValues")
    void withoutASchemaAValueFollowsTheUntypedRule(String json, Object expected) throws Exception {
        assertThat(JsonConfiguration.untypedValue(value(json))).isEqualTo(expected);
    }

    @Test
    void withoutASchemaEveryMemberIsConvertedAndNothingIsRefused() throws Exception {
        Map<String, Object> c = JsonConfiguration.toConfiguration(object("{\"n\": 3, \"x\": 1.5, \"s\": \"t\","
                + " \"o\": {\"a\": 1}, \"l\": [1, 2], \"m\": [1, \"a\"], \"$version\": 4}"), "desired", null);

        assertThat(c).containsExactly(Map.entry("n", 3L), Map.entry("x", 1.5), Map.entry("s", "t"),
                Map.entry("o", "{\"a\":1}"), Map.entry("l", new Long[] {1L, 2L}), Map.entry("m", "[1,\"a\"]"),
                Map.entry("$version", 4L));
    }
}
