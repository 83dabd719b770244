/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.broker.api.MqttAddresses;
import org.outpost.broker.api.StorageFullException;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.protocol.TelemetryTopic;

/** The hub's telemetry into a real persistent Artemis whose disk goes over its limit and comes back. */
class BrokerTelemetryTest {

    private static final String TOPIC = "devices/d1/messages/events/";

    @TempDir
    Path data;
    private ArtemisBroker broker;
    private BrokerTelemetry telemetry;
    private TelemetryWriter writer;

    @BeforeEach
    void start() throws Exception {
        broker = new ArtemisBroker(data, Duration.ofSeconds(2));
        // What the ingestion's persistent subscription is: a durable queue on the topic's address.
        broker.server.createQueue(QueueConfiguration.of("ingest").setAddress(MqttAddresses.address(TOPIC))
                .setRoutingType(RoutingType.MULTICAST).setDurable(true));
        telemetry = new BrokerTelemetry(broker);
        writer = telemetry.open(Identity.device("d1"));
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        telemetry.close();
        broker.close();
    }

    private void write(String body) throws Exception {
        writer.write(TOPIC, TelemetryTopic.parse(TOPIC).orElseThrow(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whileTheDiskIsFullTelemetryIsNotTakenAndWhenSpaceReturnsItIsWithNothingTakenBeforeLost() throws Exception {
        write("a");
        write("b");
        broker.maxDiskUsage(1);

        assertThatThrownBy(() -> write("c")).isInstanceOf(StorageFullException.class)
                .hasMessageStartingWith("disk full: " + data)
                .hasMessageEndingWith("messages are refused until space returns; free space or raise max.disk.usage"
                        + " in etc/org.outpost.broker.cfg");

        broker.maxDiskUsage(100);
        write("d");
        // The queue counts a stored message a moment after the sender was told: wait for it, then check it is exact.
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.depth("ingest") >= 3);
        assertThat(broker.depth("ingest")).isEqualTo(3);
    }
}
