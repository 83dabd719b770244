/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The wire contract between gateways and the hub, shared by both so that they cannot disagree: the IoT Hub MQTT
 * telemetry topics and the URL-encoded property bag that carries message properties in a topic.
 */
@Export
@Version("1.6.0")
package org.outpost.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
