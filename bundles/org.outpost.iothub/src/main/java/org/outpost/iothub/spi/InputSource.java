/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the messages routed to a module's inputs wait until it acknowledges them (IoT Edge's
 * {@code BrokeredEndpoint("/modules/<m>/inputs/<i>")}). While a {@link Identity.Kind#MODULE module} is connected and
 * subscribed to {@code devices/<d>/modules/<m>/inputs/#}, the server asks for the next ones (a few in flight at a
 * time), sends each on {@code devices/<d>/modules/<m>/inputs/<input>/<properties>} at QoS 1, in order, and reports
 * each PUBACK; what is unacknowledged when the connection ends is asked for again on the next. Called on session
 * threads, which it may block. {@link #NONE} has no messages (the hub: modules get no input messages from the cloud).
 */
@ConsumerType
public interface InputSource {

    /** No messages, ever. */
    InputSource NONE = new InputSource() {
        @Override
        public List<InputMessage> waiting(Identity module, long afterSeq, int max) {
            return List.of();
        }

        @Override
        public void delivered(Identity module, InputMessage message) {
        }

        @Override
        public Subscription onMessage(Identity module, Runnable arrived) {
            return () -> {
            };
        }
    };

    /**
     * @param module a connected module identity
     * @param afterSeq the last message already sent on this connection (0 for none)
     * @param max at most this many
     * @return its next messages after {@code afterSeq}, oldest first
     */
    List<InputMessage> waiting(Identity module, long afterSeq, int max);

    /** The module acknowledged the message: it is not sent again. */
    void delivered(Identity module, InputMessage message);

    /**
     * Called when the module subscribes; the returned subscription is closed when its connection ends, and then
     * whatever was sent but not {@link #delivered} is to be sent again on its next connection, in the same order.
     *
     * @param module a connected module identity
     * @param arrived run when a new message for it is stored (on any thread)
     * @return stops it (when the connection ends)
     */
    Subscription onMessage(Identity module, Runnable arrived);
}
