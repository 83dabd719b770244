/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The answer to a direct method call: the identity's status and payload, or the server's when it did not answer
 * (404: not connected, or not subscribed to methods; 504: no answer in time).
 *
 * @param status the status
 * @param payload the JSON payload ({@code {"message": ...}} for the server's own answers)
 */
public record MethodResult(int status, String payload) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the server's own answer: {@code status} with {@code {"message": <message>}} */
    public static MethodResult error(int status, String message) {
        return new MethodResult(status, message(message));
    }

    /** @return {@code {"message": <text>}}, the JSON of an error answer */
    public static String message(String text) {
        return JSON.createObjectNode().put("message", text).toString();
    }
}
