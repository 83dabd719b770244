/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiTokenTest {

    private static final String TOKEN = "0123456789abcdefghijklmnopqrstuv";

    @Test
    void aTokenOfThirtyTwoCharactersMatchesItselfOnly() {
        ApiToken t = ApiToken.of(TOKEN, "a test");
        assertThat(t.problem()).isNull();
        assertThat(t.matches(TOKEN)).isTrue();
        assertThat(t.matches(TOKEN + "w")).isFalse();
        assertThat(t.matches(TOKEN.substring(1))).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\n", "0123456789abcdefghijklmnopqrstu"})
    void anEmptyOrShortTokenMatchesNothingNotEvenItself(String token) {
        ApiToken t = ApiToken.of(token, "etc/x.cfg");
        assertThat(t.problem()).startsWith("the REST API token in etc/x.cfg ");
        assertThat(t.matches(token)).isFalse();
        assertThat(t.matches("")).isFalse();
    }

    @Test
    void theProblemNeverContainsTheToken() {
        assertThat(ApiToken.of("short-secret", "etc/x.cfg").problem()).doesNotContain("short-secret")
                .isEqualTo("the REST API token in etc/x.cfg has 12 characters; at least 32 are needed");
    }
}
