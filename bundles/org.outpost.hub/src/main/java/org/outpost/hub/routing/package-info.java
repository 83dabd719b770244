/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Message routing at the hub (IoT Hub's "routing to endpoints"): routes with a condition send device messages to
 * endpoints. Endpoint types are whiteboard services ({@link org.outpost.hub.routing.EndpointType}); a bundle that
 * registers one (the Kafka endpoint's feature, for example) adds a type without a change to the hub.
 */
@Export
@Version("1.2.0")
package org.outpost.hub.routing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
