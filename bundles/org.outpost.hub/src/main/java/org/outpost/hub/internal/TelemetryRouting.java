/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.outpost.api.message.Message;

/**
 * Where ingested telemetry goes after the hub received it: message routing. Ingestion acknowledges a device's
 * message when the returned stage completes (the message is in its endpoints' durable queues).
 */
public interface TelemetryRouting {

    /** Routes nothing: for a hub (or a test) without message routing. */
    TelemetryRouting NONE = (message, enqueued) -> CompletableFuture.completedFuture(null);

    /**
     * @param message the message, with {@code connectionDeviceId} (and {@code connectionModuleId}) set
     * @param enqueuedTime when the hub received it
     * @return completes when the message is stored wherever its routes send it
     */
    CompletionStage<Void> route(Message message, Instant enqueuedTime);
}
