/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigurationSchemaTest {

    @Test
    void attributesAreFoundByIdAndListedSorted() {
        ConfigurationSchema s = new ConfigurationSchema("s", List.of(AttributeSchema.of("b", AttributeType.LONG),
                AttributeSchema.of("a", AttributeType.STRING)));

        assertThat(s.ids()).containsExactly("a", "b");
        assertThat(s.attribute("b")).map(AttributeSchema::type).contains(AttributeType.LONG);
        assertThat(s.attribute("c")).isEmpty();
    }

    @Test
    void ofTwoAttributesWithOneIdTheLaterCounts() {
        ConfigurationSchema s = new ConfigurationSchema("s", List.of(AttributeSchema.of("a", AttributeType.LONG),
                AttributeSchema.of("a", AttributeType.STRING)));

        assertThat(s.attribute("a")).map(AttributeSchema::type).contains(AttributeType.STRING);
        assertThat(s.ids()).containsExactly("a");
    }

    @Test
    void missingNamesTheRequiredAttributesWithoutAValue() {
        ConfigurationSchema s = new ConfigurationSchema("s", List.of(
                AttributeSchema.of("z", AttributeType.LONG).asRequired(),
                AttributeSchema.of("y", AttributeType.LONG).asRequired(),
                AttributeSchema.of("x", AttributeType.LONG).asRequired(),
                AttributeSchema.of("optional", AttributeType.LONG)));
        Map<String, Object> c = new HashMap<>();
        c.put("x", 1L);
        c.put("y", null);

        assertThat(s.missing(c)).containsExactly("y", "z");
    }

    @Test
    void aSchemaWithoutAttributesHasNone() {
        ConfigurationSchema s = new ConfigurationSchema("s", null);

        assertThat(s.attributes()).isEmpty();
        assertThat(s.ids()).isEmpty();
    }
}
