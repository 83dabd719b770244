/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The gateway's identities for its modules (IoT Edge's identity service and workload API): every module has its own
 * identity {@code <deviceId>/<moduleId>} with its own keys, the gateway has a certificate authority whose server
 * certificate its IoT Hub endpoint presents, and process and container modules get the environment IoT Edge gives a
 * module.
 */
@Export
@Version("1.1.0")
package org.outpost.identity.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
