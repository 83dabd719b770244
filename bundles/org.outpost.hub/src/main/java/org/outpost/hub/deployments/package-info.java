/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Deployments at scale: deployment objects with a target condition and a priority, base and layered, and the desired
 * properties each device gets from those that target it.
 */
@Export
@Version("1.0.0")
package org.outpost.hub.deployments;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
