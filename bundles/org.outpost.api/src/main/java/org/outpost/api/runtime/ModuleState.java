/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

/** Runtime states of a module, named as IoT Edge names them where they mean the same. */
public enum ModuleState {
    /** Not yet known (e.g. the bundle is installed and is being resolved). */
    UNKNOWN,
    /** Started and its components are active. */
    RUNNING,
    /** Stopped on purpose. */
    STOPPED,
    /** Cannot run: its bundle does not resolve, or its activation or a module component failed. */
    FAILED,
    /**
     * Its container image is being pulled; it starts when the pull ends. Since 1.3 of this package: code that switches
     * over the states has a case (or a default) for it.
     */
    PULLING;

    /** @return the lower-case name used in shell output and JSON */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
