/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The gateway as a parent (IoT Edge's transparent gateway and nested edge): its device scope ({@link ChildScope}),
 * the relay of its children's twins, direct methods and cloud-to-device messages ({@link ChildRelay}), what its
 * endpoint knows of the children connected now ({@link ChildConnections}), and how the relay reaches the hub or the
 * parent gateway ({@link HubLink}, which the twins provide).
 */
@Export
@Version("1.1.0")
package org.outpost.downstream.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
