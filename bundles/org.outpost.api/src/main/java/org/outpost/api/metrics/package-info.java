/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The metrics of the gateway and the hub: counters, latency timers and measured values with labels, named as Azure IoT
 * Edge's edgeHub and edgeAgent metrics where they mean the same ({@code edgehub_messages_received_total},
 * {@code edgehub_messages_sent_total}, ...). Readable from the shell ({@code edge:metrics}) and on the Prometheus
 * endpoint ({@code /metrics}).
 */
@Export
@Version("1.0.0")
package org.outpost.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
