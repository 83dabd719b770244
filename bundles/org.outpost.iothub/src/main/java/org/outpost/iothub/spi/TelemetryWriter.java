/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Takes a message for good, without making the connection wait: the server goes on reading the client's next
     * messages, and acknowledges each (PUBACK, in the order received) when its stage completes, so that many messages
     * in flight share one disk sync. One connection's calls come in order, from its session thread; the messages must
     * be stored in that order. By default it is {@link #write}, done before it returns.
     *
     * @return completes when the message is stored as {@link #write} promises; exceptionally if it was not taken
     *         (the connection is then closed without acknowledging it or anything after it, and the reason logged).
     *         It must complete in a bounded time, also when the store cannot take the message (a full disk: fail at
     *         once; no acknowledgement from the store: fail after the store's timeout), since the connection's
     *         acknowledgements wait for it in order
     */
    default CompletionStage<Void> writeAsync(String topic, TelemetryTopic telemetry, byte[] payload) {
        try {
            write(topic, telemetry, payload);
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The connection ended. */
    @Override
    void close();
}
