/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The IoT Hub MQTT device contract as a server: {@link org.outpost.iothub.IotHubServer}, made by its user (the hub's
 * endpoint component; next, the gateway's) with its {@link org.outpost.iothub.ServerSettings} and its implementations
 * of {@link org.outpost.iothub.spi}. {@link org.outpost.iothub.IotHubAcl} is IoT Hub's topic rules.
 */
@Export
@Version("1.2.0")
package org.outpost.iothub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
