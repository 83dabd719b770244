/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.config.InvalidConfigurationException;

class BandwidthSettingsTest {

    private static UpstreamSettings from(Map<String, Object> cfg) throws InvalidConfigurationException {
        return UpstreamSettings.from(UpstreamSettingsTest.config(cfg), cfg);
    }

    @Test
    void theDefaultsControlNothing() throws Exception {
        BandwidthSettings b = from(Map.of()).bandwidth();
        assertThat(b.batch()).isFalse();
        assertThat(b.gzip()).isFalse();
        assertThat(b.messagesPerSecond()).isZero();
        assertThat(b.windows().isAlwaysOpen()).isTrue();
        assertThat(b.routes()).isEmpty();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        BandwidthSettings b = from(Map.ofEntries(Map.entry("batch.enabled", "true"),
                Map.entry("batch.max.messages", "50"), Map.entry("batch.max.bytes", "32768"),
                Map.entry("batch.linger.ms", "500"), Map.entry("compression", "gzip"),
                Map.entry("compression.min.bytes", "256"), Map.entry("rate.messages.per.second", "20"),
                Map.entry("rate.bytes.per.second", "8192"), Map.entry("rate.burst.messages", "40"),
                Map.entry("windows", "22:00-06:00"), Map.entry("windows.time.zone", "UTC"),
                Map.entry("route.alerts.batch", "false"), Map.entry("route.alerts.rate.messages.per.second", "2"),
                Map.entry("route.bulk.compression", "none"))).bandwidth();

        assertThat(b).extracting(BandwidthSettings::batch, BandwidthSettings::batchMaxMessages,
                BandwidthSettings::batchMaxBytes, BandwidthSettings::batchLingerMs, BandwidthSettings::gzip,
                BandwidthSettings::compressMinBytes, BandwidthSettings::messagesPerSecond,
                BandwidthSettings::bytesPerSecond, BandwidthSettings::burstMessages, BandwidthSettings::burstBytes)
                .containsExactly(true, 50, 32768, 500L, true, 256, 20.0, 8192.0, 40.0, 8192.0);
        assertThat(b.windows().toString()).isEqualTo("22:00-06:00 (UTC)");
        assertThat(b.batches("alerts")).isFalse();
        assertThat(b.batches("other")).isTrue();
        assertThat(b.compresses("bulk")).isFalse();
        assertThat(b.routes().get("alerts")).hasToString("no batch, 2 msg/s");
    }

    @Test
    void badValuesAreRefusedNamingTheKeyTheValueAndWhatToWrite() {
        assertThatThrownBy(() -> from(Map.of("windows", "22:00-6"))).isInstanceOf(
                InvalidConfigurationException.class).hasMessageContaining("windows=22:00-6 is not valid:")
                .hasMessageContaining("'22:00-6' is not a window; write windows separated by commas, each"
                        + " [Day|Day-Day ]HH:MM-HH:MM, e.g. 22:00-06:00");
        assertThatThrownBy(() -> from(Map.of("rate.messages.per.second", "-5"))).hasMessage(
                "configuration org.outpost.upstream: rate.messages.per.second=-5 is not valid: 0 (no limit) or more"
                        + " messages a second, e.g. 50");
        assertThatThrownBy(() -> from(Map.of("rate.bytes.per.second", "-1")))
                .hasMessageContaining("rate.bytes.per.second=-1 is not valid");
        assertThatThrownBy(() -> from(Map.of("compression", "zip"))).hasMessageContaining("compression=zip is not"
                + " valid: none or gzip");
        assertThatThrownBy(() -> from(Map.of("batch.max.messages", "500"))).hasMessageContaining(
                "batch.max.messages=500 is not valid: 1 to max.inflight (256)");
        assertThatThrownBy(() -> from(Map.of("windows.time.zone", "Mars/Olympus")))
                .hasMessageContaining("windows.time.zone=Mars/Olympus is not valid: a time zone such as");
        assertThatThrownBy(() -> from(Map.of("route.alerts.rate.messages.per.second", "fast")))
                .hasMessageContaining("route.alerts.rate.messages.per.second=fast is not valid");
        assertThatThrownBy(() -> from(Map.of("route.alerts.bacth", "true"))).hasMessageContaining(
                "route.alerts.bacth=true is not valid: a route setting: route.<route name>.batch, .compression or"
                        + " .rate.messages.per.second");
    }
}
