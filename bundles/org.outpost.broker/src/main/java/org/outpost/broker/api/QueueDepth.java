/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What waits in a queue.
 *
 * @param messages how many messages
 * @param bytes how many bytes they take in the journal and pages
 * @param byPriority messages per broker priority (0 lowest to 9 highest); priorities without messages are absent
 * @param oldest when the oldest message was stored, or {@code null} if the queue is empty
 */
public record QueueDepth(long messages, long bytes, Map<Integer, Long> byPriority, Instant oldest) {

    public QueueDepth {
        byPriority = Collections.unmodifiableMap(new TreeMap<>(byPriority));
    }
}
