/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.slf4j.LoggerFactory;

/**
 * How the broker watches its disk and how long its senders wait for it.
 *
 * @param storeTimeout how long a sender waits for the acknowledgement that a message is stored
 * @param diskScanPeriodMs how often Artemis measures the disk against {@code max.disk.usage}
 */
record StorageSettings(Duration storeTimeout, long diskScanPeriodMs) {

    static StorageSettings from(EmbeddedBroker.Config config, Map<String, ?> raw)
            throws InvalidConfigurationException {
        ConfigValues values = new ConfigValues(BrokerSettings.PID, config, raw);
        int timeout = values.get("store.timeout.seconds", config::store_timeout_seconds, t -> t >= 1 && t <= 3600,
                "1 to 3600 seconds");
        long scan = values.get("disk.scan.period.ms", config::disk_scan_period_ms, p -> p >= 100 && p <= 600_000,
                "100 to 600000 milliseconds");
        return new StorageSettings(Duration.ofSeconds(timeout), scan);
    }

    /** @return the settings, or {@code keep} (after an error in the log) if they are not valid */
    static StorageSettings fromOr(EmbeddedBroker.Config config, Map<String, ?> raw, StorageSettings keep) {
        try {
            return from(config, raw);
        } catch (InvalidConfigurationException e) {
            LoggerFactory.getLogger(StorageSettings.class).error("{}; keeping store.timeout.seconds={} and"
                    + " disk.scan.period.ms={}", e.getMessage(), keep.storeTimeout().toSeconds(),
                    keep.diskScanPeriodMs());
            return keep;
        }
    }

    /**
     * @return whether the two differ in {@code max.disk.usage} and nothing else: the running broker's disk monitor
     *         takes a new limit without a restart
     */
    static boolean onlyDiskUsageDiffers(BrokerSettings a, BrokerSettings b) {
        if (a == null || b == null || a.maxDiskUsage() == b.maxDiskUsage()) {
            return false;
        }
        try {
            for (RecordComponent c : BrokerSettings.class.getRecordComponents()) {
                if (!c.getName().equals("maxDiskUsage")
                        && !Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                    return false;
                }
            }
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    static StorageSettings defaults() {
        return new StorageSettings(Duration.ofSeconds(10), 5000);
    }
}
