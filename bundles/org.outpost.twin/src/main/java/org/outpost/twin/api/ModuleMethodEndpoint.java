/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.api.module.MethodHandler;

/**
 * A service that calls the direct methods of modules that are not bundles (they connect over the IoT Hub endpoint
 * and subscribe to {@code $iothub/methods/POST/#}). The twins ask it for a module that has no
 * {@link MethodHandler} service by that name.
 */
@ConsumerType
public interface ModuleMethodEndpoint {

    /** @return whether the module is connected here and takes direct methods */
    boolean serves(String module);

    /**
     * @param payloadJson the request payload, a JSON value
     * @return completes with the module's answer, 404 if it is not connected, 504 if it did not answer within the
     *         timeout; never exceptionally
     */
    CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson, Duration timeout);
}
