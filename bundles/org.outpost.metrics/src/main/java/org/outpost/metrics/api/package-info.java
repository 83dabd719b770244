/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The metrics as Prometheus reads them: the exposition that {@code /metrics} serves (the Prometheus text format 0.0.4
 * or OpenMetrics), for the shell and the support bundle. Metrics are registered through
 * {@link org.outpost.api.metrics.Metrics}, not here.
 */
@Export
@Version("1.0.0")
package org.outpost.metrics.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
