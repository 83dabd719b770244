/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

/** Whether a module should run. */
public enum DesiredStatus {
    RUNNING, STOPPED
}
