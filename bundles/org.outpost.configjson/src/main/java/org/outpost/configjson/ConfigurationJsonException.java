/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

/**
 * A JSON value that does not fit its configuration attribute. The message is {@code "<path>: <problem>"}, e.g.
 * {@code desired.threshold: "hot" is not a number}.
 */
public final class ConfigurationJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;

    public ConfigurationJsonException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** @return the JSON path of the value, e.g. {@code desired.tags[1]} */
    public String path() {
        return path;
    }

    /** @return what is wrong with it, saying what was expected */
    public String problem() {
        return problem;
    }
}
