/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class FieldPathTest {

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void pathsFindNestedFieldsAndArrayElements() throws Exception {
        JsonNode doc = json("{\"machine\": {\"temperature\": 21.5, \"id\": 7}, \"samples\": [{\"v\": \"3.25\"}],"
                + " \"s\": \"x\", \"n\": null}");
        assertThat(FieldPath.parse("machine.temperature").number(doc)).isEqualTo(21.5);
        assertThat(FieldPath.parse("machine.id").text(doc)).isEqualTo("7");
        assertThat(FieldPath.parse("samples.0.v").number(doc)).isEqualTo(3.25);
        assertThat(FieldPath.parse("s").number(doc)).isNull();
        assertThat(FieldPath.parse("n").find(doc)).isNull();
        assertThat(FieldPath.parse("machine.nothing").find(doc)).isNull();
        assertThat(FieldPath.parse("s.deeper").find(doc)).isNull();
        assertThat(FieldPath.parse("machine").text(doc)).isNull();
        assertThat(FieldPath.parse("").find(doc)).isSameAs(doc);
    }

    @Test
    void anEmptySegmentIsRefusedSayingWhere() {
        assertThatThrownBy(() -> FieldPath.parse("machine..temperature"))
                .hasMessageStartingWith("Field path 'machine..temperature' has an empty segment at position 2");
    }
}
