/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.protocol.TelemetryTopic;

/** One connection's way in for telemetry (see {@link TelemetrySink}). */
@ConsumerType
public interface TelemetryWriter extends AutoCloseable {

    /**
     * Takes a message for good: when this returns, the server acknowledges it (PUBACK), so it must be stored as
     * durably as the user promises (the hub: in its broker's journal).
     *
     * @param topic the topic it was published to, as sent
     * @param telemetry the same, parsed (the {@link TopicAcl} allowed it)
     * @param payload the message body
     * @throws Exception if it was not taken: the connection is closed without an acknowledgement, so the client
     *             sends it again
     */
    void write(String topic, TelemetryTopic telemetry, byte[] payload) throws Exception;

    /** The connection ended. */
    @Override
    void close();
}
