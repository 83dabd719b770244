/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import org.outpost.protocol.TwinDocument;

/**
 * A module's twin as the gateway keeps it.
 *
 * @param twin the desired properties as the cloud holds them, and the reported properties
 * @param applied the desired properties last applied to the module (JSON object text)
 * @param appliedVersion the desired version last applied
 */
record StoredTwin(TwinDocument twin, String applied, long appliedVersion) {

    /** @return the twin of a module that has none yet */
    static StoredTwin empty() {
        return new StoredTwin(TwinDocument.empty(), "{}", 0);
    }

    /** @return this with another twin document, the same applied properties */
    StoredTwin withTwin(TwinDocument next) {
        return new StoredTwin(next, applied, appliedVersion);
    }
}
