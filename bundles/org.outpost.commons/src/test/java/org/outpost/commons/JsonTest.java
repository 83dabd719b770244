/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    record Row(String module, Instant since) {
    }

    @Test
    void timesAreIsoTextAndOutputIsIndentedOrOneLine() {
        Row row = new Row("heartbeat", Instant.parse("2026-12-04T18:00:00Z"));

        assertThat(Json.write(row)).contains("\n").contains("\"since\" : \"2026-12-04T18:00:00Z\"");
        assertThat(Json.line(row)).isEqualTo("{\"module\":\"heartbeat\",\"since\":\"2026-12-04T18:00:00Z\"}");
    }

    @Test
    void textReadBackPrintsIndentedAndMalformedTextSaysWhy() {
        assertThat(Json.write(Json.read("{\"a\":[1,2]}"))).isEqualTo(Json.write(Map.of("a", new int[] {1, 2})));
        assertThatThrownBy(() -> Json.read("{\"a\":")).hasMessageStartingWith("cannot read JSON: ");
    }
}
