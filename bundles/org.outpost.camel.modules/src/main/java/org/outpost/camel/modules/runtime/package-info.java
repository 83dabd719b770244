/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * What runs a route module: {@link org.outpost.camel.modules.runtime.RouteModule}, the component class that a route
 * bundle's {@code Service-Component} names (see {@link org.outpost.camel.modules.api.RouteBundle}). Route bundles
 * import this package.
 */
@Export
@Version("1.0.0")
package org.outpost.camel.modules.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
