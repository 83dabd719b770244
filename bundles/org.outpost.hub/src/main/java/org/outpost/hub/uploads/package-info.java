/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** Uploads from devices: support bundles and module logs the hub asks for, receives and keeps. */
@Export
@Version("1.0.0")
package org.outpost.hub.uploads;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
