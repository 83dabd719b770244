/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Messages as they travel between modules, the gateway's router and the cloud: a body, application properties and
 * the IoT Hub system properties.
 */
@Export
@Version("1.0.0")
package org.outpost.api.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
