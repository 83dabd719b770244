/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes the direct method calls for identities that have no connection to this server: the hub passes them to the
 * hub node that holds the identity. {@link #NOWHERE} answers 404 at once.
 */
@ConsumerType
public interface MethodRelay {

    /** Knows no other server: the identity is not connected (404). */
    MethodRelay NOWHERE = (identity, method, payload, timeout) -> CompletableFuture.completedFuture(
            MethodResult.error(404, identity + " is not connected"));

    /**
     * @param identity an identity not connected to this server
     * @param method the method name
     * @param payload its JSON payload
     * @param timeout how long the caller waits for the answer
     * @return completes with the answer (404 if nobody holds the identity, 504 if it did not answer in time); never
     *         exceptionally
     */
    CompletionStage<MethodResult> invoke(Identity identity, String method, String payload, Duration timeout);
}
