/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * What a route module's bundle is made of: the contract between whoever makes route bundles (the {@code deploy/}
 * folder's transformer, the deployment's {@code camel} module kind) and the component that runs their routes.
 */
@Export
@Version("1.0.0")
package org.outpost.camel.modules.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
