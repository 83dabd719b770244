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

    /** The component, data format or language nobody serves, if that is why; else null. */
    private final String missing;

    public RouteModuleException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * @param missing the name of the Camel component nobody serves ({@code milo-client}), or of the data format or
     *        language prefixed with {@code dataformat:} or {@code language:}, when that is why; else null
     */
    public RouteModuleException(String message, Throwable cause, String missing) {
        super(message, cause);
        this.missing = missing;
    }

    /**
     * @return the name of the Camel component nobody serves ({@code milo-client}; {@code dataformat:<name>} or
     *         {@code language:<name>} for those), when that is why the routes do not run; else null
     */
    public String missing() {
        return missing;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
