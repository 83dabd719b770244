/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ApiJsonTest {

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyBodyIsAnEmptyObject() {
        assertThat(ApiJson.body(in("")).toString()).isEqualTo("{}");
        assertThat(ApiJson.body(null).toString()).isEqualTo("{}");
    }

    @Test
    void aJsonBodyIsReadAsItIs() {
        assertThat(ApiJson.body(in("{\"a\": [1]}")).path("a").get(0).asInt()).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithTheFirstLineOfWhyAtTheRoot() {
        assertThatThrownBy(() -> ApiJson.body(in("{bad"))).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.path()).isEqualTo("$");
            assertThat(e.getMessage()).startsWith("the body is not JSON: Unexpected character").doesNotContain("\n");
        });
    }

    @Test
    void aBodyOverOneMegabyteIsRefusedUnread() {
        byte[] big = new byte[ApiJson.MAX_BODY + 1];
        assertThatThrownBy(() -> ApiJson.body(new ByteArrayInputStream(big))).isInstanceOfSatisfying(
                ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).isEqualTo("the body is over 1048576 bytes");
                });
    }

    @Test
    void anErrorLeavesOutAPathItDoesNotHave() throws Exception {
        assertThat(ApiJson.MAPPER.writeValueAsString(ApiJson.error("no device 'x'", null)))
                .isEqualTo("{\n  \"error\" : \"no device 'x'\"\n}");
        assertThat(ApiJson.MAPPER.writeValueAsString(ApiJson.error("bad", "a.b")))
                .isEqualTo("{\n  \"error\" : \"bad\",\n  \"path\" : \"a.b\"\n}");
    }
}
