/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import java.time.Instant;

/**
 * A snapshot of the upstream (cloud) connection, for {@code edge:upstream}.
 *
 * @param url the cloud broker URL
 * @param clientId the MQTT client id
 * @param state {@code connected}, {@code connecting}, {@code disconnected} (waiting to retry) or {@code stopped}
 * @param queued messages waiting in the upstream queue
 * @param sent messages the cloud acknowledged since the gateway started
 * @param expired messages dropped because their time to live ran out before the cloud took them
 * @param connectedSince when the current connection was made, or null
 * @param lastError the last connection or publish error, or an empty string
 * @param lastErrorTime when it happened, or null
 * @param nextRetry when the next connection attempt is due, or null
 */
public record UpstreamStatus(String url, String clientId, String state, long queued, long sent, long expired,
        Instant connectedSince, String lastError, Instant lastErrorTime, Instant nextRetry) {
}
