/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** Conditions over device twins: twin queries and deployment target conditions, in IoT Hub's query syntax. */
@Export
@Version("1.0.0")
package org.outpost.hub.query;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
