/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.Map;

/**
 * A refusal with its status, said to the caller as {@code {"error", "path"}} (see {@link ApiErrors}), with the headers
 * it needs ({@code Retry-After}, {@code WWW-Authenticate}).
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int status;
    private final String path;
    private final transient Map<String, String> headers;

    ApiException(int status, String message, String path) {
        this(status, message, path, Map.of());
    }

    ApiException(int status, String message, String path, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.path = path;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    /** The JSON path or parameter that is wrong, or null. */
    String path() {
        return path;
    }

    Map<String, String> headers() {
        return headers;
    }
}
