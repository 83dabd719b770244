/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.config;

/** A configuration value was rejected; the message names the PID, the key, the value and what is expected. */
public class InvalidConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String pid;
    private final String key;

    public InvalidConfigurationException(String pid, String key, Object value, String expected) {
        super("configuration " + pid + ": " + key + "=" + value + " is not valid: " + expected);
        this.pid = pid;
        this.key = key;
    }

    /** @return the configuration PID */
    public String pid() {
        return pid;
    }

    /** @return the rejected key */
    public String key() {
        return key;
    }
}
