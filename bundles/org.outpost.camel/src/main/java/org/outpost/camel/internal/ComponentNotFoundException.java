/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import org.apache.camel.NoSuchLanguageException;

/**
 * A Camel component, data format or language that neither the embedded Camel nor an adapter bundle serves. Its message
 * is what an operator reads ({@code component milo-client not found: install the feature outpost-adapter-opcua}), so
 * {@link #toString()} is the message alone. It extends {@link NoSuchLanguageException} (a RuntimeCamelException) so
 * that the language resolver may throw it too.
 */
final class ComponentNotFoundException extends NoSuchLanguageException {

    private static final long serialVersionUID = 1L;
    private final String text;

    ComponentNotFoundException(String message) {
        this(message, null);
    }

    ComponentNotFoundException(String message, Throwable cause) {
        super(message);
        this.text = message;
        if (cause != null) {
            initCause(cause);
        }
    }

    @Override
    public String getMessage() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
