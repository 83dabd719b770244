/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.protocol.AuthLimiter;

class AuthFilterTest {

    private static final String TOKEN = "s3cret-s3cret-s3cret-s3cret-s3cret";

    @TempDir
    Path dir;

    private static AuthLimiter limiter() {
        return new AuthLimiter(10, Duration.ofMinutes(1), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC));
    }

    private final AuthFilter filter = new AuthFilter(ApiToken.of(TOKEN, "a test"), limiter());

    private static AuthFilter.Config config(String token) {
        return new AuthFilter.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuthFilter.Config.class;
            }

            @Override
            public String token() {
                return token;
            }
        };
    }

    private static int status(AuthFilter f, String address, String authorization) {
        try {
            f.check("GET", "/fleet", address, authorization);
            return 200;
        } catch (ApiException e) {
            return e.status();
        }
    }

    @Test
    void theRightBearerTokenPasses() {
        filter.check("GET", "/fleet", "10.0.0.1", "Bearer " + TOKEN);
        filter.check("GET", "/fleet", "10.0.0.1", "bearer  " + TOKEN + " ");
    }

    @Test
    void theDescriptionNeedsNoToken() {
        filter.check("GET", "/openapi.json", "10.0.0.1", null);
        assertThatThrownBy(() -> filter.check("HEAD", "/openapi.json", "10.0.0.1", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void noOrAWrongTokenIs401WithTheChallenge() {
        for (String header : new String[] {null, "Bearer nope", "Basic czNjcmV0", "Bearer " + TOKEN + "x",
                "Bearer " + TOKEN.substring(1), "Bearer "}) {
            assertThatThrownBy(() -> filter.check("GET", "/devices", "10.0.0.1", header))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"outpost-hub\"");
                        assertThat(e.getMessage()).startsWith("give the API token as 'Authorization: Bearer <token>'");
                    });
        }
    }

    @Test
    void anEmptyOrShortTokenRefusesEveryCallWith503AndNeverLetsTheEmptyTokenIn() {
        for (String configured : new String[] {"", "   ", "short", TOKEN.substring(0, ApiToken.MIN_LENGTH - 1)}) {
            AuthFilter f = new AuthFilter(ApiToken.of(configured, "a test"), limiter());
            for (String header : new String[] {null, "Bearer ", "Bearer " + configured, "Bearer " + TOKEN}) {
                assertThatThrownBy(() -> f.check("GET", "/devices", "10.0.0.1", header))
                        .isInstanceOfSatisfying(ApiException.class, e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.getMessage()).isEqualTo("the hub's REST API has no usable token; the hub's"
                                    + " log (data/log/karaf.log) says how to set one");
                        });
            }
            f.check("GET", "/openapi.json", "10.0.0.1", null);
        }
        assertThat(ApiToken.of("short", "etc/x.cfg (token)").problem()).isEqualTo("the REST API token in"
                + " etc/x.cfg (token) has 5 characters; at least 32 are needed");
    }

    @Test
    void anEmptyTokenFileIsRefusedNotTakenAsTheEmptyToken() throws Exception {
        Path file = dir.resolve("api-token");
        Files.writeString(file, "");

        ApiToken token = AuthFilter.tokenOf(file, config(""));

        assertThat(token.problem()).isEqualTo("the REST API token in " + file + " is empty");
        assertThat(status(new AuthFilter(token, limiter()), "10.0.0.1", "Bearer ")).isEqualTo(503);
    }

    @Test
    void withoutAConfiguredTokenTheHubMakesOneInTheFileAndTheConfiguredOneWinsOverIt() throws Exception {
        Path file = dir.resolve("outpost/hub/api-token");
        AuthFilter made = new AuthFilter(AuthFilter.tokenOf(file, config("")), limiter());
        String inFile = Files.readString(file).strip();
        assertThat(status(made, "10.0.0.1", "Bearer " + inFile)).isEqualTo(200);

        AuthFilter configured = new AuthFilter(AuthFilter.tokenOf(file, config(TOKEN)), limiter());
        assertThat(status(configured, "10.0.0.1", "Bearer " + TOKEN)).isEqualTo(200);
        assertThat(status(configured, "10.0.0.1", "Bearer " + inFile)).isEqualTo(401);
    }

    @Test
    void tenWrongTokensBlockFurtherWrongTokensFromThatAddressButNeverTheRightToken() {
        for (int i = 0; i < 10; i++) {
            assertThat(status(filter, "10.0.0.1", "Bearer guess-" + i)).isEqualTo(401);
        }
        assertThatThrownBy(() -> filter.check("GET", "/fleet", "10.0.0.1", "Bearer guess-10"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.headers()).containsEntry("Retry-After", "60");
                    assertThat(e.getMessage()).isEqualTo("too many calls with a wrong token from 10.0.0.1; try again"
                            + " in 60 s");
                });
        assertThat(status(filter, "10.0.0.1", "Bearer " + TOKEN)).as("a caller behind the same proxy with the"
                + " right token").isEqualTo(200);
    }

    @Test
    void wrongTokensFromTwoAddressesBlockOnlyTheAddressThatSentThem() {
        for (int i = 0; i < 10; i++) {
            status(filter, "10.0.0.1", "Bearer guess-" + i);
        }
        assertThat(status(filter, "10.0.0.1", "Bearer guess")).isEqualTo(429);
        assertThat(status(filter, "10.0.0.2", "Bearer guess")).isEqualTo(401);
        assertThat(status(filter, "10.0.0.2", "Bearer " + TOKEN)).isEqualTo(200);
    }

    @Test
    void callsWithoutAnyTokenDoNotCountAsGuesses() {
        for (int i = 0; i < 20; i++) {
            assertThat(status(filter, "10.0.0.3", null)).isEqualTo(401);
        }
        assertThat(status(filter, "10.0.0.3", "Bearer guess")).isEqualTo(401);
    }
}
