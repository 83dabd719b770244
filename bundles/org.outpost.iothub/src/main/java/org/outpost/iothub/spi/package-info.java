/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * What differs between the users of the IoT Hub MQTT server ({@link org.outpost.iothub.IotHubServer}): who the
 * connecting identities are ({@link org.outpost.iothub.spi.IdentityAuthenticator}, {@link
 * org.outpost.iothub.spi.Identity}), which topics they may use ({@link org.outpost.iothub.spi.TopicAcl}), where their
 * telemetry goes ({@link org.outpost.iothub.spi.TelemetrySink}), where their twins are
 * ({@link org.outpost.iothub.spi.TwinService}), who takes method calls for identities connected elsewhere
 * ({@link org.outpost.iothub.spi.MethodRelay}), where their cloud-to-device messages wait
 * ({@link org.outpost.iothub.spi.CloudToDeviceSource}) and who counts their connections
 * ({@link org.outpost.iothub.spi.ConnectionListener}). The server calls these; their user implements them.
 */
@Export
@Version("1.2.0")
package org.outpost.iothub.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
