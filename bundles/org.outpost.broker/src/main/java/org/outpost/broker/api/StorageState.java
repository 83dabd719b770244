/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.nio.file.Path;

/**
 * The broker's storage as its disk monitor last saw it. Usage is Artemis' measure, {@code 1 - usable / total} of the
 * file system of the journal, which counts the space reserved for root and can be well above what {@code df} shows.
 *
 * @param full whether the usage is at or above the limit: the broker refuses messages until space returns
 * @param directory the broker's data directory (journal, bindings, paging, large messages)
 * @param usagePercent the file system's usage, 0-100, or -1 if not measured yet
 * @param maxUsagePercent the limit ({@code max.disk.usage} in {@code etc/org.outpost.broker.cfg})
 */
public record StorageState(boolean full, Path directory, int usagePercent, int maxUsagePercent) {

    /** What a broker that does not watch its disk reports. */
    public static final StorageState UNKNOWN = new StorageState(false, Path.of(""), -1, 100);

    /** @return what an operator reads: the state, why, and what to do about it */
    public String message() {
        if (full) {
            return "disk full: " + directory + " is at " + usagePercent + "% (max.disk.usage " + maxUsagePercent
                    + "%); messages are refused until space returns; free space or raise max.disk.usage in"
                    + " etc/org.outpost.broker.cfg";
        }
        if (usagePercent < 0) {
            return "disk usage of " + directory + " not measured yet (max.disk.usage " + maxUsagePercent + "%)";
        }
        return "disk: " + directory + " is at " + usagePercent + "% (max.disk.usage " + maxUsagePercent + "%)";
    }
}
