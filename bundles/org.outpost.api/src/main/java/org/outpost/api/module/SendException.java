/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

/** The gateway did not accept a message: it was not stored and will not be delivered. */
public class SendException extends Exception {

    private static final long serialVersionUID = 1L;

    public SendException(String message) {
        super(message);
    }

    public SendException(String message, Throwable cause) {
        super(message, cause);
    }
}
