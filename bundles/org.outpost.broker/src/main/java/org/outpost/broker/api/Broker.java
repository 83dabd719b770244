/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLSocketFactory;

import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The running embedded broker. The service is registered only while the broker is started, so a component that
 * references it starts after the broker and stops before it.
 */
@ProviderType
public interface Broker {

    /** The URL of the broker's in-VM acceptor, for core and JMS clients inside this framework. */
    String IN_VM_URL = "vm://0";

    /** How long a sender waits for the store's acknowledgement by default, see {@link #storeTimeout()}. */
    Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @return a new locator for in-VM sessions; the caller closes it. Sessions made from it are trusted (in-VM
     *         clients run inside this framework) and block on durable sends until the journal has synced, at most
     *         {@link #storeTimeout()}. Producers are never held back by the broker's flow control: when the disk is
     *         full a send must not wait for room, so a sender checks {@link #requireStorage()} first and waits for
     *         each acknowledgement at most {@link #storeTimeout()}.
     */
    ServerLocator createLocator();

    /**
     * @return a way to store messages without a client session, from the caller's thread (the broker's own
     *         implementation has one; a broker without it is used through {@link #createLocator()})
     */
    default Optional<DirectStore> directStore() {
        return Optional.empty();
    }

    /**
     * @return the broker's storage as its disk monitor last saw it (every {@code disk.scan.period.ms}); full means
     *         messages are refused until space returns
     */
    default StorageState storage() {
        return StorageState.UNKNOWN;
    }

    /**
     * What every sender of messages into the broker does before it sends: fail at once, with what to do, rather than
     * wait for room that may never come.
     *
     * @throws StorageFullException if the disk is over its limit
     */
    default void requireStorage() throws StorageFullException {
        StorageState s = storage();
        if (s.full()) {
            throw new StorageFullException(s);
        }
    }

    /**
     * @return how long a sender waits for the broker's acknowledgement that a message is stored before it fails the
     *         send ({@code store.timeout.seconds} in {@code etc/org.outpost.broker.cfg}); see
     *         {@link StoreTimeoutException}
     */
    default Duration storeTimeout() {
        return DEFAULT_STORE_TIMEOUT;
    }

    /**
     * @param protocol {@code CORE}, {@code MQTT} or {@code AMQP}
     * @return where network clients of that protocol connect, e.g. {@code tcp://127.0.0.1:1883}, or empty if the
     *         broker does not accept it
     */
    Optional<String> acceptorUrl(String protocol);

    /**
     * @return for an {@code ssl://} {@link #acceptorUrl}: a socket factory that trusts the broker's own certificate,
     *         for clients in this framework (the hub's telemetry ingestion); empty while the acceptors are plain
     * @since 2.1
     */
    default Optional<SSLSocketFactory> acceptorSocketFactory() {
        return Optional.empty();
    }

    /**
     * @param queue a queue name
     * @return the queue's statistics, or empty if there is no such queue
     */
    Optional<QueueStats> queueStats(String queue);

    /**
     * @param queue a queue name
     * @return the bytes the queue's messages take in the journal and pages (0 if there is no such queue); cheap
     *         enough to call for every message
     */
    long queueBytes(String queue);

    /**
     * Looks at every message in a queue (in memory and paged) to report its depth per priority and its oldest message.
     * This reads the whole queue: for operators, not for every message.
     *
     * @param queue a queue name
     * @return the depth, or empty if there is no such queue
     */
    Optional<QueueDepth> queueDepth(String queue);

    /**
     * Deletes the oldest messages of the lowest priorities present until at least {@code bytes} are freed: what an
     * endpoint with the drop-oldest policy gives up when it is full.
     *
     * @param queue a queue name
     * @param bytes how many bytes to free
     * @return how many messages were deleted
     */
    long dropOldest(String queue, long bytes);

    /**
     * @param address a broker address (no wildcards)
     * @return whether a message sent to it now would reach at least one queue, such as an MQTT client's subscription
     */
    boolean hasSubscribers(String address);
}
