/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.query;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzzes the hub's target conditions (IoT Hub's query syntax, from deployments and the REST API): any text compiles
 * or is refused with a {@link ConditionException}, and a compiled condition decides any device twin without
 * throwing. An input is the condition, a line break, and the twin's tags as JSON (an object when it parses as one).
 * <p>
 * The corpus is in {@code src/test/resources/org/outpost/hub/query/ConditionFuzzTestInputs/}; the build fuzzes for
 * the time below.
 */
class ConditionFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10s")
    void anyConditionCompilesOrIsRefusedAndDecidesAnyTwin(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        Condition condition;
        try {
            condition = Condition.parse(newline < 0 ? text : text.substring(0, newline));
        } catch (ConditionException refused) {
            return;
        }
        JsonNode tags;
        try {
            tags = newline < 0 ? JSON.createObjectNode() : JSON.readTree(text.substring(newline + 1));
        } catch (java.io.IOException notJson) {
            tags = JSON.createObjectNode();
        }
        JsonNode twin = JSON.createObjectNode().put("deviceId", "gw-1").set("tags", tags == null
                ? JSON.createObjectNode() : tags);
        condition.test(twin);
    }
}
