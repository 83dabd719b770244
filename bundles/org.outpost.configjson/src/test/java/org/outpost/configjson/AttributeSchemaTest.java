/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttributeSchemaTest {

    @ParameterizedTest(name = "cardinality {0}: list {1}, at most {2}")
    @CsvSource({"0, false, 0", "5, true, 5", "-5, true, 5", "2147483647, true, 2147483647",
        "-2147483648, true, 2147483647"})
    void theCardinalitySaysWhetherItIsAListAndHowLong(int cardinality, boolean list, int max) {
        AttributeSchema a = AttributeSchema.of("a", AttributeType.STRING).withCardinality(cardinality);

        assertThat(a.isList()).isEqualTo(list);
        assertThat(a.maxValues()).isEqualTo(max);
    }

    @Test
    void anAttributeIsOptionalOneValueWithoutOptionsOrValidatorUnlessSaid() {
        AttributeSchema a = AttributeSchema.of("a", AttributeType.BYTE);

        assertThat(a.required()).isFalse();
        assertThat(a.options()).isEmpty();
        assertThat(a.validator().problem("anything")).isNull();
        assertThat(a.asRequired().withOptions("1").required()).isTrue();
        assertThat(new AttributeSchema("a", AttributeType.BYTE, 0, null, false, null).validator())
                .isSameAs(AttributeSchema.Validator.NONE);
    }

    @Test
    void anAttributeNeedsAnIdAndAType() {
        assertThatThrownBy(() -> AttributeSchema.of(null, AttributeType.LONG)).hasMessage("id");
        assertThatThrownBy(() -> AttributeSchema.of("a", null)).hasMessage("type");
    }

    @Test
    void eachTypeSaysItsJavaTypeAndWhatItExpects() {
        assertThat(AttributeType.PASSWORD.javaType()).isEqualTo(String.class);
        assertThat(AttributeType.SHORT.expected()).isEqualTo("integer from -32768 to 32767");
        assertThat(AttributeType.CHARACTER.javaType()).isEqualTo(Character.class);
    }
}
