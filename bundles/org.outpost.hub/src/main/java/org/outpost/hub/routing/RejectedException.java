/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

/**
 * Thrown by {@link EndpointSink#deliver} when the endpoint refused the messages for good (a webhook's 400, a table's
 * constraint): retrying cannot help. The hub delivers a refused batch of several messages again one message at a
 * time, and moves the one the endpoint refuses to the endpoint's dead letters at once, with this exception's message
 * as the reason. Any other exception is retried with back-off. (Added in 1.1: a sink that never throws it keeps
 * working as before.)
 */
public class RejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public RejectedException(String message) {
        super(message);
    }

    public RejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
