/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The embedded broker as a service: connect to it in-VM, read queue statistics, and plug in authentication of network
 * clients (gateways at the hub, container modules at the gateway).
 */
@Export
@Version("2.2.0")
package org.outpost.broker.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
