/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** The running router as a service: its routes, their counters, and explanations of routing decisions. */
@Export
@Version("1.2.0")
package org.outpost.routing.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
