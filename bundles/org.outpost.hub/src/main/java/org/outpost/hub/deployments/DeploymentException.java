/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.deployments;

/** A deployment refused: the JSON path of the problem and what is wrong there. */
public final class DeploymentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;

    public DeploymentException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    /** @return the JSON path of the problem in the deployment object */
    public String path() {
        return path;
    }
}
