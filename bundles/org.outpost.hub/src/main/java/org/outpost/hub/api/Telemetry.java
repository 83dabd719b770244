/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.api.message.Message;

/** The telemetry the hub received: the most recent messages (bounded), and a live feed. */
@ProviderType
public interface Telemetry {

    /**
     * One message as the hub received it.
     *
     * @param sequence the hub's receive counter (1 for the first message since start)
     * @param deviceId the sending device
     * @param moduleId the sending module, or null for device telemetry
     * @param message the message with the properties the topic carried
     */
    record Received(long sequence, String deviceId, String moduleId, Message message) {
    }

    /**
     * @param device only this device's messages, or null for all
     * @param limit at most this many, the newest
     * @return the messages, oldest first
     */
    List<Received> recent(String device, int limit);

    /**
     * @return messages this hub node received since it started ({@link #receivedSince()}); it starts again at 0 when
     *         the hub restarts, unlike each device's count ({@link Device#messages()}), which is kept
     */
    long received();

    /** @return when this hub node started counting {@link #received()} (its start) */
    Instant receivedSince();

    /**
     * Calls {@code listener} for every message received from now on, until the returned handle is closed.
     */
    AutoCloseable subscribe(Consumer<Received> listener);
}
