/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode twin(String deviceId, String tags, String reported) throws Exception {
        return JSON.readTree("{\"deviceId\": \"" + deviceId + "\", \"tags\": " + tags + ", \"properties\":"
                + " {\"desired\": {}, \"reported\": " + reported + "}}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "tags.site = 'plant-1'|true",
        "tags.site = \"plant-1\"|true",
        "tags.site != 'plant-1'|false",
        "tags.site <> 'plant-2'|true",
        "tags.site = 'plant-1' AND tags.env IN ['prod', 'stage']|true",
        "tags.site = 'plant-1' and tags.env in ['dev']|false",
        "tags.env NOT IN ['dev', 'test']|true",
        "deviceId = 'gw-1' OR deviceId = 'gw-2'|true",
        "NOT deviceId = 'gw-1'|false",
        "NOT (tags.site = 'plant-2' OR tags.env = 'dev')|true",
        "tags.floor >= 3 AND tags.floor < 4.5|true",
        "tags.floor = 3.0|true",
        "tags.pilot = true|true",
        "tags.missing != 'x'|false",
        "tags.missing = null|false",
        "tags.none = null|true",
        "IS_DEFINED(tags.missing)|false",
        "is_defined(properties.reported.firmware) AND properties.reported.firmware < '2.0'|true",
        "tags.site = 'plant-1' AND (tags.env = 'dev' OR tags.floor > 2)|true",
        "tags.name = 'O''Brien'|true",
    })
    void conditionsHoldAsIoTHubsDo(String condition, boolean expected) throws Exception {
        JsonNode device = twin("gw-1", "{\"site\": \"plant-1\", \"env\": \"prod\", \"floor\": 3, \"pilot\": true,"
                + " \"none\": null, \"name\": \"O'Brien\"}", "{\"firmware\": \"1.4\"}");

        assertThat(Condition.parse(condition).test(device)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "tags.site = |column 12: expected a value ('text', a number, true, false or null), found the end",
        "tags.site == 'a'|column 12: expected a value ('text', a number, true, false or null), found '= 'a''",
        "tags.site 'a'|column 11: expected a comparison (= != <> < <= > >=, IN or NOT IN), found ''a''",
        "tags.site = 'a' AND|column 20: expected a path such as tags.site or deviceId, found the end",
        "(tags.site = 'a'|column 17: expected ')' to close the '(' before it, found the end",
        "tags.env IN 'prod'|column 13: expected '[' to start the list of IN, found ''prod''",
        "tags.env IN []|column 14: an IN list needs at least one value",
        "tags.env IN ['a' 'b']|column 18: expected ',' or ']' in the list of IN, found ''b']'",
        "tags.site = 'plant|column 13: this string has no closing '",
        "tags. = 'a'|column 6: expected a name after '.', found ' = 'a''",
        "tags.site = 'a' tags.env = 'b'|column 17: expected AND, OR or the end, found 'tags.env = 'b''",
        "tags.x NOT = 1|column 12: expected IN after NOT",
    })
    void aBadConditionSaysWhereAndWhatWasExpected(String condition, String message) {
        assertThatThrownBy(() -> Condition.parse(condition)).isInstanceOf(ConditionException.class)
                .hasMessage(message);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedAtTheColumnWhereItGoesTooDeep() {
        String tooDeep = "(".repeat(Condition.MAX_DEPTH + 1) + "deviceId = 'gw-1'" + ")".repeat(Condition.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Condition.parse(tooDeep)).isInstanceOfSatisfying(ConditionException.class, e -> {
            assertThat(e.column()).isEqualTo(Condition.MAX_DEPTH + 1);
            assertThat(e).hasMessage("column 65: parentheses and NOT nest deeper than 64 levels here; write the"
                    + " condition with fewer levels");
        });
        assertThatThrownBy(() -> Condition.parse("NOT ".repeat(Condition.MAX_DEPTH) + " NOT deviceId = 'x'"))
                .isInstanceOfSatisfying(ConditionException.class, e -> assertThat(e.column()).isEqualTo(4 * 64 + 2));
        String deepest = "NOT (".repeat(Condition.MAX_DEPTH / 2) + "deviceId = 'gw-1'" + ")".repeat(Condition
                .MAX_DEPTH / 2);
        assertThat(Condition.parse(deepest).test(JSON.createObjectNode().put("deviceId", "gw-1"))).isTrue();
    }

    @Test
    void aHundredThousandLevelsAreRefusedNotAStackOverflow() {
        assertThatThrownBy(() -> Condition.parse("(".repeat(100_000) + "deviceId = 'x'" + ")".repeat(100_000)))
                .isInstanceOf(ConditionException.class);
        assertThatThrownBy(() -> Condition.parse("NOT ".repeat(100_000) + "deviceId = 'x'"))
                .isInstanceOf(ConditionException.class);
    }

    @Test
    void aLongChainOfAndsAndOrsIsTestedWithoutNesting() throws Exception {
        String chain = String.join(" AND ", java.util.Collections.nCopies(50_000, "tags.site = 'plant-1'")) + " OR "
                + String.join(" OR ", java.util.Collections.nCopies(50_000, "deviceId = 'nobody'"));
        JsonNode device = twin("gw-1", "{\"site\": \"plant-1\"}", "{}");
        assertThat(Condition.parse(chain).test(device)).isTrue();
        assertThat(Condition.parse(chain.replace("'plant-1'", "'plant-2'")).test(device)).isFalse();
    }
}
