/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void jsonBodySetsContentTypeAndEncoding() {
        Message m = Message.builder().json("{\"t\":1}").build();

        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.contentEncoding()).isEqualTo("utf-8");
        assertThat(m.bodyAsString()).isEqualTo("{\"t\":1}");
        assertThat(m.bodyLength()).isEqualTo(7);
    }

    @Test
    void bodyIsCopiedInAndOut() {
        byte[] bytes = {1, 2, 3};
        Message m = Message.builder().body(bytes).build();
        bytes[0] = 9;
        m.body()[1] = 9;

        assertThat(m.body()).containsExactly(1, 2, 3);
    }

    @Test
    void toBuilderKeepsEverything() {
        Message m = Message.builder().body("x").property("a", "1").messageId("id").correlationId("c")
                .contentType("text/plain").creationTimeUtc(Instant.EPOCH).connectionModuleId("m")
                .connectionDeviceId("d").outputName("o").build();

        assertThat(m.toBuilder().build()).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(m.toBuilder().property("b", "2").build()).isNotEqualTo(m);
    }

    @Test
    void decodesBodyWithItsEncoding() {
        byte[] utf16 = "héllo".getBytes(StandardCharsets.UTF_16LE);
        Message m = Message.builder().body(utf16).contentEncoding("utf-16le").build();

        assertThat(m.bodyAsString()).isEqualTo("héllo");
    }

    @Test
    void unknownEncodingFallsBackToUtf8() {
        Message m = Message.builder().body("abc".getBytes(StandardCharsets.UTF_8)).contentEncoding("no-such").build();

        assertThat(m.bodyAsString()).isEqualTo("abc");
    }

    @Test
    void propertiesAreUnmodifiableAndValidated() {
        Message m = Message.builder().property("k", "v").build();

        assertThatThrownBy(() -> m.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Message.builder().property("", "v"))
                .hasMessage("application property name must not be empty");
        assertThatThrownBy(() -> Message.builder().property("k", null))
                .hasMessage("application property 'k' has no value");
    }
}
