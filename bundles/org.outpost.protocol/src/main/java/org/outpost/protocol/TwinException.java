/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

/**
 * A twin patch that is refused, with where and why; IoT Hub answers such a request with status 400.
 */
public final class TwinException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    /**
     * @param path where in the patch, as a JSON path ({@code desired.pump.speed})
     * @param reason what is wrong, and what would be right
     */
    public TwinException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
