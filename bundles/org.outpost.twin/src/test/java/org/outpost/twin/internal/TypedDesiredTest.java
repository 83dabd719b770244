/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

class TypedDesiredTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A definition as a module's Metatype would give it. */
    private static final ObjectClassDefinition FILTER = new ObjectClassDefinition() {
        @Override
        public String getName() {
            return "Filter";
        }

        @Override
        public String getID() {
            return "filter";
        }

        @Override
        public String getDescription() {
            return "";
        }

        @Override
        public AttributeDefinition[] getAttributeDefinitions(int filter) {
            return new AttributeDefinition[] {ad("threshold", AttributeDefinition.DOUBLE, 0, null),
                ad("interval.ms", AttributeDefinition.LONG, 0, null),
                ad("mode", AttributeDefinition.STRING, 0, new String[] {"fast", "slow"}),
                ad("tags", AttributeDefinition.STRING, -10, null),
                ad("enabled", AttributeDefinition.BOOLEAN, 0, null)};
        }

        @Override
        public InputStream getIcon(int size) {
            return null;
        }
    };

    private static AttributeDefinition ad(String id, int type, int cardinality, String[] options) {
        return new AttributeDefinition() {
            @Override
            public String getName() {
                return id;
            }

            @Override
            public String getID() {
                return id;
            }

            @Override
            public String getDescription() {
                return "";
            }

            @Override
            public int getCardinality() {
                return cardinality;
            }

            @Override
            public int getType() {
                return type;
            }

            @Override
            public String[] getOptionValues() {
                return options;
            }

            @Override
            public String[] getOptionLabels() {
                return options;
            }

            @Override
            public String validate(String value) {
                return null;
            }

            @Override
            public String[] getDefaultValue() {
                return null;
            }
        };
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void desiredPropertiesThatFitBecomeConfigurationOfTheDeclaredTypes() throws Exception {
        Map<String, Object> c = TypedDesired.toConfiguration(json("{\"threshold\": 30, \"interval.ms\": 250,"
                + " \"mode\": \"fast\", \"tags\": [\"a\", \"b\"], \"enabled\": true, \"$version\": 4}"), FILTER, "f");

        assertThat(c).containsEntry("threshold", 30.0).containsEntry("interval.ms", 250L)
                .containsEntry("mode", "fast").containsEntry("enabled", true).doesNotContainKey("$version");
        assertThat((String[]) c.get("tags")).containsExactly("a", "b");
    }

    @Test
    void eachMisfitIsRefusedWithItsPathAndReason() {
        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"threshold\": \"hot\"}"), FILTER, "f"))
                .hasMessage("desired.threshold: \"hot\" is not a number");
        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"interval.ms\": 2.5}"), FILTER, "f"))
                .hasMessage("desired.interval.ms: 2.5 is not an integer");
        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"mode\": \"turbo\"}"), FILTER, "f"))
                .hasMessage("desired.mode: 'turbo' is not one of fast, slow");
        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"threshhold\": 3}"), FILTER,
                "filter's configuration p")).hasMessage("desired.threshhold: filter's configuration p has no property"
                        + " 'threshhold' (it has enabled, interval.ms, mode, tags, threshold)");
        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"enabled\": [true]}"), FILTER, "f"))
                .hasMessage("desired.enabled: takes one boolean, not a list");
        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"tags\": [\"a\", 1]}"), FILTER, "f"))
                .hasMessage("desired.tags[1]: 1 is not a string");
    }

    @Test
    void withoutADefinitionJsonValuesKeepTheirNaturalTypes() throws Exception {
        Map<String, Object> c = TypedDesired.toConfiguration(json("{\"n\": 3, \"x\": 1.5, \"s\": \"t\","
                + " \"o\": {\"a\": 1}, \"l\": [1, 2]}"), null, "f");

        assertThat(c).containsEntry("n", 3L).containsEntry("x", 1.5).containsEntry("s", "t")
                .containsEntry("o", "{\"a\":1}");
        assertThat((Long[]) c.get("l")).containsExactly(1L, 2L);
    }

    @Test
    void withoutADefinitionOnlyArraysOfOneKindOfScalarBecomeArraysAndTheRestFollowsTheUntypedRule() throws Exception {
        Map<String, Object> c = TypedDesired.toConfiguration(json("{\"s\": [\"a\"], \"x\": [1, 2.5],"
                + " \"mixed\": [1, \"a\"], \"empty\": [], \"b\": true, \"n\": null, \"$version\": 3}"), null, "f");

        assertThat((String[]) c.get("s")).containsExactly("a");
        assertThat((Double[]) c.get("x")).containsExactly(1.0, 2.5);
        assertThat(c).containsEntry("mixed", "[1,\"a\"]").containsEntry("empty", "[]").containsEntry("b", true)
                .containsEntry("n", "null").doesNotContainKey("$version");
    }

    @Test
    void aDefinitionWithoutAttributesRefusesEveryProperty() {
        ObjectClassDefinition none = Fakes.fake(ObjectClassDefinition.class, Map.of("getAttributeDefinitions",
                args -> null));

        assertThatThrownBy(() -> TypedDesired.toConfiguration(json("{\"a\": 1}"), none, "f"))
                .hasMessage("desired.a: f has no property 'a' (it has )");
    }

    @Test
    void theDesiredPropertiesGivenAreNotChanged() throws Exception {
        ObjectNode desired = json("{\"threshold\": 1, \"$version\": 2}");

        TypedDesired.toConfiguration(desired, FILTER, "f");

        assertThat(desired.has("$version")).isTrue();
    }
}
