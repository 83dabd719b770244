/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

/**
 * Why a route module's routes do not run, as an operator reads it in {@code edge:list}: {@code <file> line L,
 * column C: <what>}, or {@code <file>: <what>} when there is no position. {@link #toString()} is the message alone, so
 * that the component's failure reads as it.
 */
public final class RouteModuleException extends Exception {

    private static final long serialVersionUID = 1L;

    public RouteModuleException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
