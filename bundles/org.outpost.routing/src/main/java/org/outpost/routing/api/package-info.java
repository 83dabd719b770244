/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The running router as a service: its routes, their counters, and explanations of routing decisions; and
 * {@link org.outpost.routing.api.MessageHeaders}, how a message is stored in the endpoint queues that the router fills
 * and the runtime and the upstream drain (1.3: moved here from the broker's API, which is about Artemis only).
 */
@Export
@Version("1.5.0")
package org.outpost.routing.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
