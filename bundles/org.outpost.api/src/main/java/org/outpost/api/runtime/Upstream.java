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

    /**
     * @return the bandwidth control's settings and counters, for {@code edge:upstream}: label to value, in display
     *         order (batching, compression, rate limits, windows; publishes, messages, bytes before and after
     *         compression, time held back by the rate limits, window state and next opening)
     */
    default java.util.Map<String, Object> bandwidth() {
        return java.util.Map.of();
    }

    /** @return each route's own settings for its messages to {@code $upstream}, by route name, for edge:routes */
    default java.util.Map<String, String> routeBandwidth() {
        return java.util.Map.of();
    }
}
