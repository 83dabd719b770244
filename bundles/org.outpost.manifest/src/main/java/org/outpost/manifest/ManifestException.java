/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

/**
 * A deployment manifest that cannot be applied, with the status code IoT Edge reports for it: 400 (format error), 412
 * (unsupported schema version), 417 (empty). Nothing was changed.
 */
public final class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String path;
    private final String reason;

    public ManifestException(int code, String path, String reason) {
        super(code + " " + (path.isEmpty() ? "" : path + ": ") + reason);
        this.code = code;
        this.path = path;
        this.reason = reason;
    }

    /** @return 400, 412 or 417 */
    public int code() {
        return code;
    }

    /** @return the JSON path of what is wrong, e.g. {@code modulesContent.$edgeAgent.properties.desired.modules.x.type} */
    public String path() {
        return path;
    }

    /** @return what is wrong, and what would be right */
    public String reason() {
        return reason;
    }
}
