/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Services the gateway runtime offers to operators' tools (the shell, diagnostics): module inventory and the state of
 * the upstream (cloud) connection. Edge modules do not need this package.
 */
@Export
@Version("1.5.0")
package org.outpost.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
