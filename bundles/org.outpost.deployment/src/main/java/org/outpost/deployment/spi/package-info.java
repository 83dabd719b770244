/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * What the deployment service asks of a module kind: {@link org.outpost.deployment.spi.ModuleKind}, a whiteboard
 * service per kind of module a deployment manifest may name (bundle, feature, container), and the
 * {@link org.outpost.deployment.spi.Undo} log of the deployment being applied.
 */
@Export
@Version("1.0.0")
package org.outpost.deployment.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
