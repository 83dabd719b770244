/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Metrics at the hub: the time series of what gateways upload (IoT Edge metrics-collector messages) and of the fleet
 * the hub samples itself, kept raw for a while and as rollups for longer.
 */
@Export
@Version("1.0.0")
package org.outpost.hub.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
