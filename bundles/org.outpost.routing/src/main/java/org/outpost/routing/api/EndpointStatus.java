/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An endpoint's store-and-forward queue.
 *
 * @param endpoint the endpoint as routes name it: {@code $upstream} or {@code BrokeredEndpoint("/modules/m/inputs/i")}
 * @param queue the broker queue that holds its messages
 * @param messages messages waiting
 * @param bytes bytes they take in the journal and pages
 * @param maxBytes the size bound; past it, {@code whenFull} applies
 * @param whenFull {@code reject} or {@code drop-oldest}
 * @param byPriority messages waiting per route priority (0 highest to 9; messages of routes without a priority count
 *            as 9)
 * @param oldest when the oldest waiting message was stored, or {@code null}
 * @param rejected messages refused to their senders because the endpoint was full
 * @param droppedFull messages dropped (oldest first) to make room under drop-oldest
 * @param expired messages whose time to live ran out before they could be delivered
 */
public record EndpointStatus(String endpoint, String queue, long messages, long bytes, long maxBytes, String whenFull,
        Map<Integer, Long> byPriority, Instant oldest, long rejected, long droppedFull, long expired) {

    public EndpointStatus {
        byPriority = Collections.unmodifiableMap(new TreeMap<>(byPriority));
    }
}
