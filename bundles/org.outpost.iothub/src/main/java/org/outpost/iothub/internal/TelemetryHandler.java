/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.concurrent.CompletionStage;

import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.protocol.TelemetryTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's telemetry ({@code devices/<d>/[modules/<m>/]messages/events/<bag>}): checked against the ACL and
 * written to the sink before the server acknowledges it. The sink's writer is opened at the first message and closed
 * with the connection.
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
        synchronized (this) {
            if (writer == null) {
                writer = sink.open(identity);
            }
            return writer.writeAsync(topic, t, payload);
        }
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
