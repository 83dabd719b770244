/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The hub's services: the device registry and module identities, twins, deployments at scale and the telemetry it
 * received.
 */
@Export
@Version("1.7.0")
package org.outpost.hub.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
