/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The gateway's module twins: for the shell and tools, and for the IoT Hub endpoint that serves the twins and methods
 * of the modules connected over it.
 */
@Export
@Version("1.2.0")
package org.outpost.twin.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
