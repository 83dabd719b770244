/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Camel contexts made by the gateway's Camel bundle: {@link org.outpost.camel.api.CamelContexts}, and the manifest
 * headers by which adapter bundles add Camel components, data formats and languages to every such context.
 */
@Export
@Version("1.0.0")
package org.outpost.camel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
