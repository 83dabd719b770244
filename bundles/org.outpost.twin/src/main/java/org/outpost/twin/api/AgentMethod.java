/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A direct method of the gateway's {@code $edgeAgent}, contributed as a service (whiteboard): register it with
 * {@link #NAME} set to the method's name ({@code UploadSupportBundle}) and the twin service answers the cloud's calls
 * of that method with it. The built-in methods ({@code ping}, {@code RestartModule}, {@code GetModuleLogs}) cannot be
 * replaced.
 */
@ConsumerType
public interface AgentMethod {

    /** Service property: the method's name, as the cloud invokes it. */
    String NAME = "outpost.agent.method";

    /**
     * The method's answer.
     *
     * @param status the status the caller sees (200 for success, 400 for a payload that is wrong)
     * @param json the answer's JSON text ({@code null} for none)
     */
    record Answer(int status, String json) {
    }

    /**
     * Runs the method. Called on the twin service's method thread: answer quickly and do long work (an upload) in the
     * background, as IoT Edge's {@code UploadSupportBundle} does with its task id.
     *
     * @param payloadJson the payload's JSON text ({@code null} when there is none)
     * @return the answer
     * @throws IllegalArgumentException when the payload is wrong: the caller gets 400 with the message
     */
    Answer invoke(String payloadJson) throws Exception;
}
