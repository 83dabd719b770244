/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.api.message.Message;

/**
 * Receives the messages routed to one input of a module without holding the input while each is finished: the
 * whiteboard service of {@link InputHandler} for modules whose work completes later, typically a send with
 * {@link ModuleClient#sendAsync}. Register it as an {@code InputHandler} is registered (same {@link ModuleInput}
 * property, from a bundle with an {@link EdgeModule}):
 *
 * <pre>{@code
 * @EdgeModule("enricher")
 * @Component
 * @ModuleInput("input1")
 * public class Enricher implements AsyncInputHandler {
 *     @Reference ModuleClient client;
 *     public CompletionStage<Void> onMessage(Message message) {
 *         return client.sendAsync("output1", enrich(message));
 *     }
 * }
 * }</pre>
 *
 * {@link #onMessage} is called in the input's order, one call at a time, from one thread; up to
 * {@value #DEFAULT_IN_FLIGHT} messages (or the service property {@value #IN_FLIGHT}) may be handed over and not yet
 * completed. A message counts as delivered when its stage completes normally. When a stage completes exceptionally (or
 * {@code onMessage} throws), no further message is handed over until those in flight are settled, and the failed
 * message is delivered again after a pause: the stream stays in order except that a message delivered again comes
 * after the ones that completed while it was in flight. Set {@value #IN_FLIGHT} to 1 to keep the order even then
 * (each message is then finished before the next is handed over, as for an {@link InputHandler}).
 * <p>
 * Why: a blocking {@link ModuleClient#send} waits for the gateway's journal, a few milliseconds, so a handler that
 * sends one message per message received is bound to a few hundred messages a second; with messages in flight, one
 * journal write stores many of them.
 */
@ConsumerType
public interface AsyncInputHandler {

    /** Service property: the name of the input this handler receives (a String), as {@link InputHandler#INPUT}. */
    String INPUT = InputHandler.INPUT;

    /**
     * Service property: at most how many messages are handed over and not yet completed (an Integer or a String of
     * one, 1 to {@value #MAX_IN_FLIGHT}).
     */
    String IN_FLIGHT = "outpost.module.input.inflight";

    /** The highest {@value #IN_FLIGHT} taken. */
    int MAX_IN_FLIGHT = 10_000;

    /** What {@value #IN_FLIGHT} is unless the service says otherwise. */
    int DEFAULT_IN_FLIGHT = 100;

    /**
     * Takes one message.
     *
     * @param message the message, with its system properties as the sender and the gateway set them
     * @return completes when the message is done with (acknowledged then), or exceptionally to have it delivered
     *         again
     * @throws Exception as a stage that failed with it
     */
    CompletionStage<Void> onMessage(Message message) throws Exception;
}
