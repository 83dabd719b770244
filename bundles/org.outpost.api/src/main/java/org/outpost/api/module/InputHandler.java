/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.api.message.Message;

/**
 * Receives the messages routed to one input of a module: a whiteboard service. Register it from a bundle that declares
 * an {@link EdgeModule}, with the service property {@value #INPUT} naming the input (use {@link ModuleInput}):
 *
 * <pre>{@code
 * @EdgeModule("temperature-filter")
 * @Component
 * @ModuleInput("input1")
 * public class Filter implements InputHandler {
 *     public void onMessage(Message message) throws Exception { ... }
 * }
 * }</pre>
 *
 * Messages of one input are delivered one at a time, in order. A message counts as delivered when
 * {@link #onMessage(Message)} returns; if it throws, the message stays queued and is delivered again.
 */
@ConsumerType
public interface InputHandler {

    /** Service property: the name of the input this handler receives (a String). */
    String INPUT = "outpost.module.input";

    /**
     * Handles one message.
     *
     * @param message the message, with its system properties as the sender and the gateway set them
     * @throws Exception to refuse the message for now: it will be redelivered
     */
    void onMessage(Message message) throws Exception;
}
