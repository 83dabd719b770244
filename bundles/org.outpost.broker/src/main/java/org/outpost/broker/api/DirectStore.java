/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Stores durable messages in the broker's queues from the caller's thread, without a client session: no in-VM packet
 * and no hand-off to a broker thread on the way in, and the confirmation comes from the journal's completion, not as a
 * packet back. For senders inside this framework that store many messages (the router): see
 * {@link Broker#directStore()}.
 */
@ProviderType
public interface DirectStore {

    /**
     * The largest body stored this way (IoT Hub's message size limit; one journal record holds it): a larger one goes
     * through a client session, which stores it as a large message.
     */
    int MAX_BODY_BYTES = 256 * 1024;

    /**
     * One copy of a message.
     *
     * @param queue the queue (an anycast, durable queue of the same name is created if it is missing)
     * @param priority the broker priority, 0 (lowest) to 9
     * @param expiration when it expires, epoch milliseconds; 0 for never
     */
    record Copy(String queue, int priority, long expiration) {
    }

    /**
     * Stores a copy of a message in each queue, durably (the journal synced) before {@code done} is told.
     *
     * @param lane the sender's lane: stores of one lane reach the journal and their queues in call order, as the
     *            sends of one session do
     * @param body the body, at most {@link #MAX_BODY_BYTES}
     * @param properties string properties of every copy
     * @param timestamp the copies' timestamp, epoch milliseconds
     * @param copies where, and how
     * @param done called once, from a broker thread: {@code null} when every copy is stored, else why not (a copy not
     *            stored may still be in some queue: the sender treats the message as not stored and may send it
     *            again)
     */
    void store(int lane, byte[] body, Map<String, String> properties, long timestamp, List<Copy> copies,
            Consumer<Exception> done);
}
