/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;

class CatalogueTest {

    private final Catalogue catalogue = Catalogue.load();

    @Test
    void namesEdgeHubsAndEdgeAgentsMetricsAsIotEdgeDoes() {
        assertThat(catalogue.entries()).containsKeys("edgehub_messages_received_total", "edgehub_messages_sent_total",
                "edgehub_queue_length", "edgehub_message_send_duration_seconds", "edgehub_messages_dropped_total",
                "edgeAgent_module_start_total", "edgeAgent_total_time_running_correctly_seconds",
                "edgeAgent_used_memory_bytes", "edgeAgent_used_cpu_percent", "edgeAgent_total_disk_space_bytes",
                "edgeAgent_command_latency_seconds", "outpost_hub_devices_connected");
    }

    @Test
    void everyEntryIsAValidNameWithAMeaning() {
        assertThat(catalogue.entries()).allSatisfy((name, help) -> {
            assertThat(PrometheusNaming.isValidLegacyMetricName(name)).as(name).isTrue();
            assertThat(help).as(name).isNotBlank().doesNotContain("\n");
        });
        assertThat(catalogue.help("not_catalogued")).isNull();
    }
}
