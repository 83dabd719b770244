/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Direct methods: the hub calls a method on a connected device (or module) and waits for its answer, as IoT Hub's
 * {@code $iothub/methods/POST/<method>/?$rid=<rid>} contract says.
 */
@ProviderType
public interface Methods {

    /** Shortest and longest time an invocation may wait, as in IoT Hub. */
    Duration MIN_TIMEOUT = Duration.ofSeconds(5);
    Duration MAX_TIMEOUT = Duration.ofSeconds(300);
    /** Largest request payload, as in IoT Hub. */
    int MAX_PAYLOAD_BYTES = 128 * 1024;

    /**
     * The answer: the device's status and payload, or the hub's when the device did not answer: 404 (not connected,
     * or not subscribed to methods), 504 (no answer within the timeout).
     *
     * @param status the status
     * @param payload the JSON payload (the hub's {@code {"message": ...}} for 404 and 504)
     */
    record Result(int status, String payload) {
    }

    /**
     * @param deviceId the device
     * @param moduleId the module, or null to call the device itself
     * @param method the method name
     * @param payloadJson the request payload, JSON (up to {@link #MAX_PAYLOAD_BYTES})
     * @param timeout how long to wait for the answer ({@link #MIN_TIMEOUT} to {@link #MAX_TIMEOUT})
     * @return completes with the answer; never exceptionally for an absent or silent device
     * @throws IllegalArgumentException for an unknown device, a payload that is not JSON or too large, a timeout out of
     *             range, or an invalid method name
     */
    CompletionStage<Result> invoke(String deviceId, String moduleId, String method, String payloadJson,
            Duration timeout);
}
