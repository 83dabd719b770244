/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Health checks in the style of Apache Felix Health Checks: any bundle (a runtime service or a module) registers a
 * {@link org.outpost.api.health.Check} with a name and tags, and the gateway runs them for {@code edge:check}, its
 * twin and the hub's REST API. Each result carries a level (ok, warn, critical) and, when not ok, what to do.
 */
@Export
@Version("1.0.0")
package org.outpost.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
