/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open endpoint: delivers batches of routed messages. The hub calls one sink from one thread at a time, in the
 * order the messages were routed, and calls it again with the same messages when it throws (at-least-once).
 */
@ConsumerType
public interface EndpointSink extends AutoCloseable {

    /**
     * Delivers messages in order and returns once the endpoint has them (acknowledged, committed, written).
     *
     * @param batch one or more messages
     * @throws Exception if not all were delivered: the hub retries the whole batch later
     */
    void deliver(List<RoutedMessage> batch) throws Exception;

    /** Closes connections; the sink is not used afterwards. */
    @Override
    default void close() throws Exception {
    }
}
