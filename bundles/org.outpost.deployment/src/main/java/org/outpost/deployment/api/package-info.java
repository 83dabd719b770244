/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** The deployment service (Outpost's edgeAgent): apply a deployment manifest, and what it reports. */
@Export
@Version("1.5.0")
package org.outpost.deployment.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
