/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.outpost.protocol.AuthLimiter;

class AuthFilterTest {

    private final AuthFilter filter = new AuthFilter("s3cret", new AuthLimiter(10, Duration.ofMinutes(1),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)));

    @Test
    void theRightBearerTokenPasses() {
        filter.check("GET", "/fleet", "10.0.0.1", "Bearer s3cret");
        filter.check("GET", "/fleet", "10.0.0.1", "bearer  s3cret ");
    }

    @Test
    void theDescriptionNeedsNoToken() {
        filter.check("GET", "/openapi.json", "10.0.0.1", null);
        assertThatThrownBy(() -> filter.check("HEAD", "/openapi.json", "10.0.0.1", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void noOrAWrongTokenIs401WithTheChallenge() {
        for (String header : new String[] {null, "Bearer nope", "Basic czNjcmV0"}) {
            assertThatThrownBy(() -> filter.check("GET", "/devices", "10.0.0.1", header))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"outpost-hub\"");
                        assertThat(e.getMessage()).startsWith("give the API token as 'Authorization: Bearer <token>'");
                    });
        }
    }

    @Test
    void tenWrongTokensBlockTheAddressEvenWithTheRightOneButNotOthers() {
        for (int i = 0; i < 10; i++) {
            String guess = "Bearer guess-" + i;
            assertThatThrownBy(() -> filter.check("GET", "/fleet", "10.0.0.1", guess))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
        assertThatThrownBy(() -> filter.check("GET", "/fleet", "10.0.0.1", "Bearer s3cret"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.headers()).containsEntry("Retry-After", "60");
                    assertThat(e.getMessage()).isEqualTo("too many calls with a wrong token from 10.0.0.1; try again"
                            + " in 60 s");
                });
        filter.check("GET", "/fleet", "10.0.0.2", "Bearer s3cret");
    }

    @Test
    void callsWithoutAnyTokenDoNotCountAsGuesses() {
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> filter.check("GET", "/fleet", "10.0.0.3", null))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
        filter.check("GET", "/fleet", "10.0.0.3", "Bearer s3cret");
    }
}
