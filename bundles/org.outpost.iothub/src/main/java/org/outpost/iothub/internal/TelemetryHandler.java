/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.protocol.TelemetryPacking;
import org.outpost.protocol.TelemetryTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's telemetry ({@code devices/<d>/[modules/<m>/]messages/events/<bag>}): checked against the ACL and
 * written to the sink before the server acknowledges it. A gateway's batch or gzip-compressed publish
 * ({@link TelemetryPacking}) is unpacked into its original messages, each written as if it had come on its own. The
 * sink's writer is opened at the first message and closed with the connection.
 */
final class TelemetryHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryHandler.class);

    private final Identity identity;
    private final TopicAcl acl;
    private final TelemetrySink sink;
    private TelemetryWriter writer;

    TelemetryHandler(Identity identity, TopicAcl acl, TelemetrySink sink) {
        this.identity = identity;
        this.acl = acl;
        this.sink = sink;
    }

    /**
     * @return completes when the sink took it for good; exceptionally if it did not (the connection is closed
     *         unacknowledged)
     * @throws IllegalArgumentException if it is not a telemetry topic, or one the identity may not send to (dropped)
     * @throws Exception if the sink's writer cannot be opened (the connection is closed unacknowledged)
     */
    CompletionStage<Void> publish(String topic, byte[] payload) throws Exception {
        TelemetryTopic t = TelemetryTopic.parse(topic).orElseThrow(() -> new IllegalArgumentException(
                "not a telemetry topic"));
        if (!acl.maySend(identity, t)) {
            throw new IllegalArgumentException("it names device '" + t.deviceId() + "'" + (t.moduleId() == null ? ""
                    : " module '" + t.moduleId() + "'") + ", not the connected identity " + identity);
        }
        if (!TelemetryPacking.isPacked(t.properties())) {
            synchronized (this) {
                return writer().writeAsync(topic, t, payload);
            }
        }
        // A gateway's batch or compressed publish: each original message is stored as if sent on its own, and the
        // publish is acknowledged when all are (a failure leaves it unacknowledged, and the gateway sends it again).
        List<TelemetryPacking.Unpacked> messages = TelemetryPacking.unpack(t, payload);
        CompletableFuture<?>[] stored = new CompletableFuture<?>[messages.size()];
        synchronized (this) {
            TelemetryWriter w = writer();
            for (int i = 0; i < stored.length; i++) {
                TelemetryPacking.Unpacked u = messages.get(i);
                stored[i] = w.writeAsync(u.topic().format(), u.topic(), u.body()).toCompletableFuture();
            }
        }
        return CompletableFuture.allOf(stored);
    }

    private TelemetryWriter writer() throws Exception {
        if (writer == null) {
            writer = sink.open(identity);
        }
        return writer;
    }

    /** The connection ended. */
    synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the telemetry writer of {}: {}", identity, e.toString());
            }
            writer = null;
        }
    }
}
