/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A direct method of a module (whiteboard: a module bundle registers this service with the property
 * {@value #NAME} set to the method name). The cloud invokes it with a JSON payload and a timeout of 5 to 300 seconds;
 * the caller gets {@code 504} if the handler takes longer, {@code 501} if the module has no handler by that name.
 *
 * <pre>{@code
 * @Component(property = MethodHandler.NAME + "=reset")
 * public class Reset implements MethodHandler {
 *     public MethodHandler.Result invoke(String payload) {
 *         counter.set(0);
 *         return MethodHandler.Result.ok("{\"reset\": true}");
 *     }
 * }
 * }</pre>
 */
@ConsumerType
public interface MethodHandler {

    /** The service property that names the method. */
    String NAME = "outpost.method";

    /**
     * A method's answer.
     *
     * @param status the status the caller sees (200 for success, by convention 4xx for bad requests)
     * @param payloadJson a JSON value (at most 128 KB), {@code null} for none
     */
    record Result(int status, String payloadJson) {
        /** @return a 200 answer with this JSON payload */
        public static Result ok(String payloadJson) {
            return new Result(200, payloadJson);
        }
    }

    /**
     * @param payloadJson the request payload, a JSON value ({@code null} when there is none)
     * @return the answer
     * @throws IllegalArgumentException to answer 400 with its message
     * @throws Exception to answer 500 with its message
     */
    Result invoke(String payloadJson) throws Exception;
}
