/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON in and out of the API: bodies read with their limits, stored JSON read back, the error object. */
final class ApiJson {

    /** Indented, as the API has always answered. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Bodies larger than this are refused (a deployment is at most 512 KB). */
    static final int MAX_BODY = 1024 * 1024;

    private ApiJson() {
    }

    /** A request body: at most {@link #MAX_BODY} bytes of JSON, and an empty one is {@code {}}. */
    static JsonNode body(InputStream in) {
        byte[] bytes;
        try {
            bytes = in == null ? new byte[0] : in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new IllegalStateException("reading the body failed: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the body is over " + MAX_BODY + " bytes", null);
        }
        if (bytes.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ApiException(400, "the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    "$");
        }
    }

    /** JSON the hub stored itself. */
    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is damaged: " + e.getMessage(), e);
        }
    }

    /** {@code {"error": message, "path": path}}, without the path when there is none. */
    static ApiError error(String message, String path) {
        return new ApiError(message, path);
    }
}
