/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.configjson.AttributeSchema;
import org.outpost.configjson.AttributeType;
import org.outpost.configjson.ConfigurationSchema;

class MetatypeSchemaTest {

    @ParameterizedTest(name = "Metatype type {0} is {1}")
    @CsvSource({"1, STRING", "2, LONG", "3, INTEGER", "4, SHORT", "5, CHARACTER", "6, BYTE", "7, DOUBLE", "8, FLOAT",
        "9, STRING", "10, STRING", "11, BOOLEAN", "12, PASSWORD", "99, STRING"})
    void eachMetatypeTypeHasItsSchemaType(int metatype, AttributeType type) {
        assertThat(MetatypeSchema.type(metatype)).isEqualTo(type);
    }

    @Test
    void anAttributeKeepsItsIdCardinalityOptionsAndValidation() {
        AttributeDefinition mode = Fakes.attribute("mode", AttributeDefinition.STRING, -3, new String[] {"a", "b"},
                v -> v.isEmpty() ? "is empty" : "");
        AttributeDefinition limit = Fakes.attribute("limit", AttributeDefinition.INTEGER, 0);
        ObjectClassDefinition ocd = Fakes.fake(ObjectClassDefinition.class, Map.of("getAttributeDefinitions",
                args -> (int) args[0] == ObjectClassDefinition.REQUIRED ? new AttributeDefinition[] {limit}
                        : new AttributeDefinition[] {mode, limit}));

        ConfigurationSchema s = MetatypeSchema.of(ocd, "filter's configuration p");

        assertThat(s.name()).isEqualTo("filter's configuration p");
        AttributeSchema m = s.attribute("mode").orElseThrow();
        assertThat(m.type()).isEqualTo(AttributeType.STRING);
        assertThat(m.cardinality()).isEqualTo(-3);
        assertThat(m.options()).containsExactly("a", "b");
        assertThat(m.required()).isFalse();
        assertThat(m.validator().problem("")).isEqualTo("is empty");
        assertThat(m.validator().problem("a")).isEmpty();
        assertThat(s.attribute("limit").orElseThrow().required()).isTrue();
        assertThat(s.attribute("limit").orElseThrow().options()).isEmpty();
    }

    @Test
    void aDefinitionWithoutAttributesGivesASchemaWithout() {
        ObjectClassDefinition ocd = Fakes.fake(ObjectClassDefinition.class, Map.of("getAttributeDefinitions",
                args -> null));

        assertThat(MetatypeSchema.of(ocd, "x").attributes()).isEmpty();
    }
}
