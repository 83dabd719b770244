/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * edgeHub's expected results, run through the offline tester exactly as {@code bin/outpost-routes test -} does. Each
 * line of {@code edgehub-cases.jsonl} is a tester input line with {@code expected}: the cases of edgeHub's own tests
 * (ConditionCompilerTest, BodyQueryTest, BodyQueryI18NTest, TwinChangeIncludesTest, named in {@code from}) and cases
 * written from reading edgeHub's implementation. Where Outpost deliberately differs, {@code expected} is Outpost's
 * answer, {@code edgeHub} edgeHub's and {@code difference} the reason (see docs/routing.md).
 */
class EdgeHubCasesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> outpostAgreesWithEdgeHub() throws Exception {
        List<String> lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/edgehub-cases.jsonl"), StandardCharsets.UTF_8))) {
            lines = in.lines().filter(l -> !l.isBlank()).toList();
        }
        assertThat(lines).hasSizeGreaterThan(900);
        return lines.stream().map(line -> {
            JsonNode c = read(line);
            String name = c.path("from").asText() + ": " + c.path("condition").asText() + "  ->  "
                    + c.path("expected").asText();
            return dynamicTest(name, () -> {
                Map<String, Object> out = RouteTester.test(line);
                assertThat(out.get("result")).as("%s (%s)", c.path("condition").asText(), out.get("error"))
                        .isEqualTo(c.path("expected").asText());
            });
        });
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(line, e);
        }
    }
}
