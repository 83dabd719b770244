/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.time.Duration;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/** How the broker's in-VM clients connect: see {@link org.outpost.broker.api.Broker#createLocator()}. */
final class InVmLocator {

    private InVmLocator() {
    }

    /**
     * @param url the in-VM acceptor's URL
     * @param storeTimeout the longest a blocking call (a durable send) waits for the broker
     * @return a locator whose sessions reconnect for ever (the broker restarts when its configuration changes),
     *         block on durable sends for at most {@code storeTimeout}, and are never held by producer flow control:
     *         Artemis withholds producer credits while its disk is full, which would block a send (and any lock its
     *         caller holds) until space returns, silently; instead senders check the storage first and fail
     */
    static ServerLocator create(String url, Duration storeTimeout) {
        try {
            return ActiveMQClient.createServerLocator(url).setReconnectAttempts(-1).setBlockOnDurableSend(true)
                    .setCallTimeout(storeTimeout.toMillis()).setProducerWindowSize(-1);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create an in-VM locator for " + url, e);
        }
    }
}
