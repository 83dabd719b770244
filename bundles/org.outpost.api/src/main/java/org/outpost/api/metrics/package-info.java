/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The gateway's metrics: counters and latency timers with labels, named after Azure IoT Edge's edgeHub metrics where
 * they mean the same ({@code messages_received_total}, {@code messages_sent_total}, ...). Readable from the shell
 * ({@code edge:metrics}) and by exporters.
 */
@Export
@Version("1.0.0")
package org.outpost.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
