/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's connection to the cloud. */
@ProviderType
public interface Upstream {

    /** @return the connection's current state and counters */
    UpstreamStatus status();
}
