/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.config.ConfigValues;

class StorageSettingsTest {

    private static final Path DATA = Path.of("/var/lib/outpost/data");
    private static final Path ETC = Path.of("/var/lib/outpost/etc");
    private static final EmbeddedBroker.Config DEFAULTS = ConfigValues.defaults(EmbeddedBroker.Config.class);

    /** The typed configuration DS would pass: these attributes (by method name) set, the others at their defaults. */
    private static EmbeddedBroker.Config config(Map<String, Object> set) {
        return (EmbeddedBroker.Config) Proxy.newProxyInstance(StorageSettingsTest.class.getClassLoader(),
                new Class<?>[] {EmbeddedBroker.Config.class}, (p, m, a) -> set.getOrDefault(m.getName(),
                        m.getDefaultValue()));
    }

    @Test
    void defaultsWaitTenSecondsAndScanEveryFive() throws Exception {
        assertThat(StorageSettings.from(DEFAULTS, Map.of())).isEqualTo(new StorageSettings(Duration.ofSeconds(10),
                5000)).isEqualTo(StorageSettings.defaults());
    }

    @Test
    void aStoreTimeoutOutOfRangeIsRefusedNamingTheKeyAndTheOldSettingsAreKept() {
        assertThatThrownBy(() -> StorageSettings.from(config(Map.of("store_timeout_seconds", 0)),
                Map.of("store.timeout.seconds", "0")))
                .hasMessage("configuration org.outpost.broker: store.timeout.seconds=0 is not valid: 1 to 3600"
                        + " seconds");
        StorageSettings keep = new StorageSettings(Duration.ofSeconds(3), 700);
        assertThat(StorageSettings.fromOr(config(Map.of("disk_scan_period_ms", 5L)), Map.of(), keep)).isSameAs(keep);
    }

    @Test
    void onlyANewDiskUsageLimitIsTakenWithoutARestart() throws Exception {
        BrokerSettings running = BrokerSettings.from(DEFAULTS, Map.of(), DATA, ETC);
        BrokerSettings lower = BrokerSettings.from(config(Map.of("max_disk_usage", 1)), Map.of(), DATA, ETC);
        BrokerSettings lowerAndPort = BrokerSettings.from(config(Map.of("max_disk_usage", 1, "mqtt_port", 1889)),
                Map.of(), DATA, ETC);

        assertThat(StorageSettings.onlyDiskUsageDiffers(running, lower)).isTrue();
        assertThat(StorageSettings.onlyDiskUsageDiffers(running, lowerAndPort)).isFalse();
        assertThat(StorageSettings.onlyDiskUsageDiffers(running, running)).isFalse();
    }
}
