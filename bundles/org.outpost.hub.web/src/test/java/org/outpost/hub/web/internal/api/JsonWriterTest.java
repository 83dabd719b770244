/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    private final JsonWriter writer = new JsonWriter();

    @Test
    void anythingButBytesAndStreamsIsWrittenAsIndentedJson() throws Exception {
        assertThat(writer.isWriteable(Map.class, Map.class, null, null)).isTrue();
        assertThat(writer.isWriteable(InputStream.class, InputStream.class, null, null)).isFalse();
        assertThat(writer.isWriteable(byte[].class, byte[].class, null, null)).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(ApiJson.error("bad", "a"), ApiError.class, ApiError.class, null, null, null, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\n  \"error\" : \"bad\",\n  \"path\" : \"a\"\n}");
    }
}
