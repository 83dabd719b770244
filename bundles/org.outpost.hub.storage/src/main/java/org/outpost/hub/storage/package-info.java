/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** The hub's database, as its services use it: transactions, and events between the hub nodes that share it. */
@Export
@Version("1.0.0")
package org.outpost.hub.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
