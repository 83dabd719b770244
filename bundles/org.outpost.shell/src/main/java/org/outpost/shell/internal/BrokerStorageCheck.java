/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import org.outpost.broker.api.StorageState;
import org.outpost.shell.internal.CheckCommand.Check;

/** The broker's storage in {@code edge:check}: failed while its disk is over {@code max.disk.usage}. */
final class BrokerStorageCheck {

    static final String NAME = "broker storage";

    private BrokerStorageCheck() {
    }

    /** How close to the limit a warning starts, in percentage points. */
    static final int WARN_MARGIN = 5;

    /** @return the check of the broker's storage as its disk monitor last saw it */
    static Check of(StorageState storage) {
        if (storage.full()) {
            return new Check(NAME, "fail", storage.message());
        }
        boolean close = storage.usagePercent() >= 0
                && storage.usagePercent() >= storage.maxUsagePercent() - WARN_MARGIN;
        return close ? new Check(NAME, "warn", storage.message() + "; messages are refused from "
                + storage.maxUsagePercent() + "%: free space or raise max.disk.usage in etc/org.outpost.broker.cfg")
                : new Check(NAME, "ok", storage.message());
    }
}
