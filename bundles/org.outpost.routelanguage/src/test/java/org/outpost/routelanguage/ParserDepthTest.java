/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParserDepthTest {

    private static final int OVER = Parser.MAX_DEPTH + 1;

    @Test
    void parenthesesDeeperThanTheLimitAreRefusedAtTheColumnWhereTheyGoTooDeep() {
        String tooDeep = "(".repeat(OVER) + "true" + ")".repeat(OVER);
        assertThatThrownBy(() -> RouteLanguage.compileCondition(tooDeep)).isInstanceOfSatisfying(
                RouteCompileException.class, e -> {
                    assertThat(e.column()).isEqualTo(OVER);
                    assertThat(e).hasMessage("column 65: parentheses, NOT, unary - and function calls nest deeper"
                            + " than 64 levels here; write the condition with fewer levels");
                });
        assertThatThrownBy(() -> RouteLanguage.compileRoute("deep", "FROM /messages/* WHERE " + tooDeep
                + " INTO $upstream")).isInstanceOfSatisfying(RouteCompileException.class, e -> assertThat(e)
                        .hasMessageStartingWith("route 'deep': column 88: parentheses"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(", "NOT ", "- ", "abs(", "NOT (", "lower(upper("})
    void aHundredThousandLevelsOfAnyNestingAreRefusedNotAStackOverflow(String level) {
        String text = level.repeat(100_000) + "1";
        assertThatThrownBy(() -> RouteLanguage.compileCondition(text)).isInstanceOfSatisfying(
                RouteCompileException.class, e -> assertThat(e.reason()).startsWith("parentheses, NOT, unary -"));
    }

    @Test
    void nestingUpToTheLimitCompilesAndEvaluates() throws Exception {
        String deepest = "(".repeat(Parser.MAX_DEPTH) + "true" + ")".repeat(Parser.MAX_DEPTH);
        assertThat(RouteLanguage.compileCondition(deepest).evaluate(RouteLanguageTest.MESSAGE)).isEqualTo(Tri.TRUE);
        String nots = "NOT ".repeat(Parser.MAX_DEPTH) + "false";
        assertThat(RouteLanguage.compileCondition(nots).evaluate(RouteLanguageTest.MESSAGE)).isEqualTo(Tri.FALSE);
    }

    @Test
    void aChainAsLongAsATwinValueAllowsCompilesAndEvaluates() throws Exception {
        // A route in $edgeHub's desired properties is a string of at most 4 KB: about 800 terms.
        String chain = String.join(" AND ", Collections.nCopies(800, "true"));
        assertThat(RouteLanguage.compileCondition(chain).evaluate(RouteLanguageTest.MESSAGE)).isEqualTo(Tri.TRUE);
    }
}
