/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** Support bundles: a zip of what someone helping with a gateway needs, with every secret left out. */
@Export
@Version("1.0.0")
package org.outpost.support.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
