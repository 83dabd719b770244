/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.Test;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;

/** The distribution boots into a running gateway whose sample modules' messages reach the cloud. */
public class TelemetryIT extends OutpostTestSupport {

    @Test
    public void bootsWithTheSampleModulesRunning() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runtime.modules())
                .extracting(ModuleInfo::name, ModuleInfo::state)
                .contains(tuple("simulated-temperature-sensor", ModuleState.RUNNING),
                        tuple("temperature-filter", ModuleState.RUNNING)));

        String list = shell("edge:list");
        assertThat(list).contains("Name", "State", "Sent", "Received")
                .containsPattern("simulated-temperature-sensor\\s*\\|\\s*bundle\\s*\\|\\s*unmanaged\\s*\\|\\s*running")
                .containsPattern("temperature-filter\\s*\\|\\s*bundle\\s*\\|\\s*unmanaged\\s*\\|\\s*running");
        assertThat(shell("edge:list --json")).contains("\"name\" : \"temperature-filter\"", "\"state\" : \"RUNNING\"");
    }

    @Test
    public void sensorReadingsAndFilterAlertsReachTheCloud() throws Exception {
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-telemetry")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> sub.from("simulated-temperature-sensor").size() >= 5
                    && sub.from("temperature-filter").size() >= 3);

            CloudSubscriber.Received reading = sub.from("simulated-temperature-sensor").get(0);
            assertThat(reading.topic().deviceId()).isEqualTo("outpost-gateway");
            assertThat(reading.topic().properties()).containsEntry("$.on", "temperatureOutput")
                    .containsEntry("$.ct", "application/json").containsKey("$.mid").containsKey("sequence");
            assertThat(reading.body()).contains("\"machine\":{\"temperature\":");

            CloudSubscriber.Received alert = sub.from("temperature-filter").get(0);
            assertThat(alert.topic().properties()).containsEntry("MessageType", "Alert").containsEntry("$.on",
                    "output1");

            assertThat(upstream.status().state()).isEqualTo("connected");
            assertThat(upstream.status().sent()).isGreaterThanOrEqualTo(8);
            assertThat(shell("edge:upstream")).contains("connected", "tcp://127.0.0.1:" + cloudPort());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(runtime.module("temperature-filter")
                    .orElseThrow().received()).isPositive());
        }
    }
}
