/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the REST view shows of an endpoint's settings and errors. */
class EndpointsTest {

    @Test
    void noSecretIsShown() {
        Map<String, Object> shown = Endpoints.redacted(Map.of(
                "headers", Map.of("X-Api", "k-123", "Accept", "json"),
                "properties", Map.of("sasl.jaas.config", "x required username=\"u\" password=\"p\";",
                        "bootstrap.servers", "b:9092"),
                "url", "jdbc:postgresql://db:5432/x?user=u&password=pw&ssl=true",
                "url2", "jdbc:postgresql://db:5432/x?sslpassword=pw2&ssl=true",
                "hook", "https://u:p@example.com/in?code=abc",
                "dsn", "host=db password=pw",
                "list", List.of("https://example.com/?sig=s1")));
        String text = shown.toString();
        assertThat(text).doesNotContain("k-123", "json", "pw", "pw2", "abc", "\"p\"", "u:p", "s1");
        assertThat(shown.get("headers")).isEqualTo(Map.of("X-Api", "***", "Accept", "***"));
        assertThat(shown.get("url")).isEqualTo("***"); // holds a password: hidden whole
        assertThat(Endpoints.redacted(Map.of("url", "jdbc:postgresql://db:5432/x?ssl=true&apikey=a1")))
                .containsEntry("url", "jdbc:postgresql://db:5432/x?***");
        assertThat(shown.get("hook")).isEqualTo("https://***@example.com/in?***");
        assertThat(shown.get("dsn")).isEqualTo("***");
        assertThat(Endpoints.shownText("cannot write to jdbc:postgresql://db/x?password=pw: token=t1 refused"))
                .doesNotContain("pw", "t1").contains("jdbc:postgresql://db/x?***");
    }
}
