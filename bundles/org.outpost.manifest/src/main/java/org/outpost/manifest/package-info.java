/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * IoT Edge deployment manifests as Outpost reads them: {@link org.outpost.manifest.ManifestParser} checks a
 * manifest and gives a {@link org.outpost.manifest.DeploymentManifest}, or a
 * {@link org.outpost.manifest.ManifestException} with the IoT Edge status code, the JSON path and what is
 * wrong; {@link org.outpost.manifest.Planner} compares it with what runs. A plain Java library: it needs
 * no OSGi framework.
 */
@Export
@Version("1.3.0")
package org.outpost.manifest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
